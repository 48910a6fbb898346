import 'reflect-metadata';
import { bootstrapApp, exitOnConfigError } from '@isp/platform';
import { AppModule } from './app.module';
import { loadDiagnosticsConfig, type DiagnosticsConfig } from './config/diagnostics.config';

async function main() {
  let config: DiagnosticsConfig;
  try {
    config = loadDiagnosticsConfig();
  } catch (err) {
    exitOnConfigError('diagnostics', err);
  }
  await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: true });
}

void main();
