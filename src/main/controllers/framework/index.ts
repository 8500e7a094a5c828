// The controller framework: an ApiClient contract, informers (list + watch into a
// frozen cache), a rate-limited work queue of keys, runController to wire them into
// level-triggered reconcile loops, and an Event recorder. Controllers and the
// scheduler import from here; testing/ holds an in-memory ApiClient for their tests.
export * from './apiClient';
export * from './controller';
export * from './events';
export * from './informer';
export * from './keys';
export * from './sharedInformers';
export * from './workQueue';
