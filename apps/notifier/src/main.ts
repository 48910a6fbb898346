import 'reflect-metadata';
import { bootstrapApp, exitOnConfigError } from '@isp/platform';
import { AppModule } from './app.module';
import { loadNotifierConfig, type NotifierConfig } from './config/notifier.config';

async function main() {
  let config: NotifierConfig;
  try {
    config = loadNotifierConfig();
  } catch (err) {
    exitOnConfigError('notifier', err);
  }
  await bootstrapApp(AppModule.forRoot(config), { config, broadcasts: false });
}

void main();
