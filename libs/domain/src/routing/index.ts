export * from './alert-rules';
export * from './alert-routing';
export * from './on-duty';
export * from './repage-policy';
