// The scheduler (kube-scheduler): filter and score plugins, the pure scheduling
// decision, and the loop that binds pending pods to nodes. The engine calls
// startScheduler with the in-process API client.
export { startScheduler, defaultSchedulerName, type Scheduler, type SchedulerOptions } from './scheduler';
export { schedulePod, fitErrorMessage, noNodesAvailableMessage, type ScheduleDecision, type ScheduleOptions } from './schedule';
export type { Node, NodeInfo, Taint } from './types';
