// A failure that repeats at every retry (a full disk, an unreadable spool, a stream that does not
// answer) is logged when it starts or changes, and its end once: a problem that lasts would
// otherwise write a line at every retry, up to four a second, and bury everything else.
export class FailureLog {
  private current: string | undefined;

  constructor(
    private readonly log: (line: string) => void,
    private readonly recovered: string,
  ) {}

  failed(line: string): void {
    if (line !== this.current) this.log(line);
    this.current = line;
  }

  succeeded(): void {
    if (this.current !== undefined) this.log(this.recovered);
    this.current = undefined;
  }
}
