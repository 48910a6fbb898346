export * from './topology-graph';
export * from './classification';
export * from './tree-walk';
export * from './incident.planner';
export * from './router-silence';
export * from './burst';
export * from './router-coverage';
