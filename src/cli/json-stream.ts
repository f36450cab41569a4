/**
 * Print `{"<key>": [items…], …rest}` exactly as `JSON.stringify(value, null, 2)` would, one item at
 * a time, so a listing of 100,000 runs never holds all of them in memory.
 */
const indent = (text: string, pad: string): string => text.split('\n').join(`\n${pad}`);

export class JsonArrayStream {
  private pending: string | null = null;
  private count = 0;
  private readonly out: (line: string) => void;
  private readonly key: string;
  private readonly head: string;

  /** `head`: the fields printed before the array. */
  constructor(out: (line: string) => void, key: string, head: Record<string, unknown> = {}) {
    this.out = out;
    this.key = key;
    this.head = Object.entries(head)
      .map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')},\n`)
      .join('');
  }

  push(item: unknown): void {
    if (this.pending !== null) this.out(`${this.pending},`);
    else if (this.count === 0) this.out(`{\n${this.head}  ${JSON.stringify(this.key)}: [`);
    this.pending = `    ${indent(JSON.stringify(item, null, 2), '    ')}`;
    this.count++;
  }

  /** Close the array and print the other fields of the object. */
  end(rest: Record<string, unknown>): void {
    const tail = Object.entries(rest).map(([k, v]) => `  ${JSON.stringify(k)}: ${indent(JSON.stringify(v, null, 2), '  ')}`);
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
