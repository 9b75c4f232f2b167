/**
 * The lines of a child process's output, as they complete (a half-written last line waits for
 * its newline, or for the end of the stream).
 *
 * @module
 */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let pending = "";
  // A TextDecoder rather than pipeThrough(new TextDecoderStream()): the latter's types disagree
  // with ReadableStream<Uint8Array> when @types/node is in the graph (deno check on a clean clone).
  const decoder = new TextDecoder();
  for await (const chunk of stream) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop()!;
    yield* lines;
  }
  if (pending) yield pending;
}
