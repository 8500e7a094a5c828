// Terminal sizes sent by clients with a TTY: a queue the exec backend consumes, and a
// decoder for the resize channel, which carries {"Width":W,"Height":H} objects back to back.
import { EventEmitter } from 'node:events';

/** TerminalSize is a terminal's size in character cells. */
export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * TerminalSizeQueue delivers the client's terminal sizes. Iterate it (one consumer) to
 * get each new size, older pending ones coalesced into the latest, until the session
 * ends; or listen to 'resize' events; `latest` always holds the last size seen.
 */
export class TerminalSizeQueue extends EventEmitter implements AsyncIterable<TerminalSize> {
  /** latest is the most recent size the client reported. */
  latest: TerminalSize | undefined;
  private pending: TerminalSize | undefined;
  private ended = false;
  private wake: (() => void) | undefined;

  /** push records a size reported by the client. */
  push(size: TerminalSize): void {
    if (this.ended) return;
    this.latest = size;
    this.pending = size;
    this.emit('resize', size);
    this.wake?.();
  }

  /** end tells consumers no more sizes will come. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.emit('end');
    this.wake?.();
  }

  /** next resolves with the next unseen size, or undefined once the queue has ended. */
  async next(): Promise<TerminalSize | undefined> {
    while (!this.pending && !this.ended) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    const size = this.pending;
    this.pending = undefined;
    return size;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<TerminalSize> {
    for (;;) {
      const size = await this.next();
      if (!size) return;
      yield size;
    }
  }
}

/**
 * ResizeDecoder turns the bytes of a resize channel into sizes. Objects may arrive
 * split across messages or several in one, so it scans for balanced braces.
 */
export class ResizeDecoder {
  private text = '';

  /** push adds bytes and returns every complete size they finish; malformed objects are skipped. */
  push(chunk: Buffer): TerminalSize[] {
    this.text += chunk.toString('utf8');
    const sizes: TerminalSize[] = [];
    for (;;) {
      const start = this.text.indexOf('{');
      if (start < 0) {
        this.text = '';
        break;
      }
      const end = this.text.indexOf('}', start);
      if (end < 0) {
        this.text = this.text.slice(start);
        if (this.text.length > 4096) this.text = '';
        break;
      }
      const candidate = this.text.slice(start, end + 1);
      this.text = this.text.slice(end + 1);
      const size = parseSize(candidate);
      if (size) sizes.push(size);
    }
    return sizes;
  }
}

function parseSize(text: string): TerminalSize | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const width = Number(value.Width ?? value.width);
    const height = Number(value.Height ?? value.height);
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) return undefined;
    if (width > 0xffff || height > 0xffff) return undefined;
    return { width, height };
  } catch {
    return undefined;
  }
}
