import 'reflect-metadata';
import { bootstrapApp, exitOnConfigError } from '@isp/platform';
import { AppModule } from './app.module';
import { loadProvisioningConfig, type ProvisioningConfig } from './config/provisioning.config';

async function main() {
  let config: ProvisioningConfig;
  try {
    config = loadProvisioningConfig();
  } catch (err) {
    exitOnConfigError('provisioning', err);
  }
  await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: true });
}

void main();
