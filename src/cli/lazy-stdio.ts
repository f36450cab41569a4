/**
 * process.stdout and process.stderr are made on first use (Node's getters), and making one costs
 * several milliseconds of a command's start: a pipe's stream loads net and the stream machinery, a
 * file's loads SyncWriteStream. A listener attached at start made both streams for every command,
 * including those that never print on stderr. `whenMade` runs `init` on the stream when something
 * first asks for it, by wrapping Node's getter once (the getter stays Node's afterwards); where the
 * property is not a configurable getter, `init` runs at once, as before.
 */
type StdioName = 'stdout' | 'stderr';

export function whenMade(name: StdioName, init: (stream: NodeJS.WriteStream) => void): void {
  const desc = Object.getOwnPropertyDescriptor(process, name);
  if (desc?.get === undefined || desc.configurable !== true) {
    init(process[name]);
    return;
  }
  Object.defineProperty(process, name, {
    configurable: true,
    enumerable: desc.enumerable ?? false,
    get() {
      Object.defineProperty(process, name, desc);
      const stream = process[name];
      init(stream);
      return stream;
    },
  });
}
