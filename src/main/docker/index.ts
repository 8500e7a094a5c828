// The host Docker Engine: finding it (DOCKER_HOST, contexts, usual sockets), probing
// and watching it, and the small helpers the engine needs on top of dockerode (exec,
// image import and copy, tar streams, progress streams, error sentences).
export * from './connect';
export * from './errors';
export * from './exec';
export * from './images';
export * from './monitor';
export * from './probe';
export * from './streams';
export * from './tar';
