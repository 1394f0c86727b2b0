/** Splits a stream of text into lines (what @std/streams' TextLineStream does). */
export class TextLineStream extends TransformStream<string, string> {
  constructor() {
    let pending = "";
    super({
      transform(chunk, controller) {
        const lines = (pending + chunk).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) controller.enqueue(line);
      },
      flush(controller) {
        if (pending !== "") controller.enqueue(pending);
      },
    });
  }
}
