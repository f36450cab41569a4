/**
 * Print `{"<key>": [items…], …rest}` exactly as `JSON.stringify(value, null, 2)` would, one item at
 * a time, so a listing of 100,000 runs never holds all of them in memory. Items may be bytes already
 * formatted (a view cache's rows: copied, never decoded), and output is written in batches of about
 * 64 KB; `waitDrain` says when the reader is behind (a pipe), so producers can pause for it instead
 * of queueing the whole listing in memory.
 */
const indent = (text: string, pad: string): string => text.split('\n').join(`\n${pad}`);

/** An array item's text as the stream prints it (`pushBytes` takes it as it is: a view cache stores it). */
export function formatItem(item: unknown): string {
  return `    ${indent(JSON.stringify(item, null, 2), '    ')}`;
}

/** Where the stream writes: `write` returns false when the reader is behind (then wait for `drained`). */
export interface ByteSink {
  write(chunk: Buffer): boolean;
  drained(): Promise<void>;
}

const BATCH = 64 * 1024;
const COMMA_NL = Buffer.from(',\n', 'latin1');

export class JsonArrayStream {
  private pending: Buffer | null = null;
  private count = 0;
  private readonly head: string;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private behind = false;

  /** `head`: the fields printed before the array. */
  constructor(
    private readonly sink: ByteSink,
    private readonly key: string,
    head: Record<string, unknown> = {},
  ) {
    this.head = Object.entries(head)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')},\n`)
      .join('');
  }

  push(item: unknown): void {
    this.pushBytes(Buffer.from(formatItem(item), 'utf8'));
  }

  /** An item already formatted by `formatItem`, as UTF-8 bytes. */
  pushBytes(bytes: Buffer): void {
    if (this.pending !== null) {
      this.add(this.pending);
      this.add(COMMA_NL);
    } else if (this.count === 0) this.add(Buffer.from(`{\n${this.head}  ${JSON.stringify(this.key)}: [\n`, 'utf8'));
    this.pending = bytes;
    this.count++;
  }

  /** A promise to wait for when the reader is behind, else null (go on). */
  waitDrain(): Promise<void> | null {
    if (!this.behind) return null;
    this.behind = false;
    return this.sink.drained();
  }

  private add(buf: Buffer): void {
    this.batch.push(buf);
    this.batchBytes += buf.length;
    if (this.batchBytes >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batchBytes === 0) return;
    const chunk = this.batch.length === 1 ? (this.batch[0] as Buffer) : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    if (!this.sink.write(chunk)) this.behind = true;
  }

  /** Close the array and print the other fields of the object. */
  end(rest: Record<string, unknown>): void {
    const tail = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')}`);
    const after = `${tail.length > 0 ? ',' : ''}\n${tail.length > 0 ? `${tail.join(',\n')}\n` : ''}}\n`;
    if (this.count === 0) {
      this.add(Buffer.from(`{\n${this.head}  ${JSON.stringify(this.key)}: []${after}`, 'utf8'));
    } else {
      this.add(this.pending as Buffer);
      this.add(Buffer.from(`\n  ]${after}`, 'utf8'));
    }
    this.flush();
  }
}
