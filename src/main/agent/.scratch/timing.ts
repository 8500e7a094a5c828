import Modem from 'docker-modem';
const orig = (Modem as any).prototype.dial;
(Modem as any).prototype.dial = function (options: any, callback: any) {
  const t = Date.now();
  const label = `${options.method} ${options.path}`.slice(0, 90);
  return orig.call(this, options, (err: any, data: any) => {
    const ms = Date.now() - t;
    if (ms > 400 && !/events|logs|attach|\/exec\/.*\/start/.test(label)) console.log(`SLOW ${ms}ms ${this.host ?? 'sock'}:${this.port ?? ''} ${label}`);
    callback(err, data);
  });
};
