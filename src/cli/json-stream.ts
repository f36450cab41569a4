/**
 * Print `{"<key>": [items…], …rest}` exactly as `JSON.stringify(value, null, 2)` would, one item at
 * a time, so a listing of 100,000 runs never holds all of them in memory.
 */
const indent = (text: string, pad: string): string => text.split('\n').join(`\n${pad}`);

/** An array item's text as the stream prints it (`pushText` takes it as it is: a view cache stores it). */
export function formatItem(item: unknown): string {
  return `    ${indent(JSON.stringify(item, null, 2), '    ')}`;
}

/** Lines are handed to `out` in batches of about this many characters (one write each). */
const BATCH = 64 * 1024;

export class JsonArrayStream {
  private pending: string | null = null;
  private count = 0;
  private readonly out: (line: string) => void;
  private readonly key: string;
  private readonly head: string;
  private batch: string[] = [];
  private batchChars = 0;

  /** `head`: the fields printed before the array. */
  constructor(out: (line: string) => void, key: string, head: Record<string, unknown> = {}) {
    this.out = out;
    this.key = key;
    this.head = Object.entries(head)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')},\n`)
      .join('');
  }

  push(item: unknown): void {
    this.pushText(formatItem(item));
  }

  /** An item already formatted by `formatItem`. */
  pushText(text: string): void {
    if (this.pending !== null) this.line(`${this.pending},`);
    else if (this.count === 0) this.line(`{\n${this.head}  ${JSON.stringify(this.key)}: [`);
    this.pending = text;
    this.count++;
  }

  private line(text: string): void {
    this.batch.push(text);
    this.batchChars += text.length;
    if (this.batchChars >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    this.out(this.batch.join('\n'));
    this.batch = [];
    this.batchChars = 0;
  }

  /** Close the array and print the other fields of the object. */
  end(rest: Record<string, unknown>): void {
    const tail = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')}`);
    this.flush();
    if (this.count === 0) {
      this.out(`{\n${this.head}  ${JSON.stringify(this.key)}: []${tail.length > 0 ? ',' : ''}`);
    } else {
      this.out(this.pending as string);
      this.out(`  ]${tail.length > 0 ? ',' : ''}`);
    }
    if (tail.length > 0) this.out(tail.join(',\n'));
    this.out('}');
  }
}
