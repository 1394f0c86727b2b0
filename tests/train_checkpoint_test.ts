/**
 * The checkpoint file's own checks, on damage its SHA-256 cannot see: a
 * header or lengths that are wrong though the digest matches them (a writer's
 * bug, or a file of another format version).
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { decodeCheckpoint, encodeCheckpoint } from "../nn/train/_checkpoint.ts";

Deno.test("decodeCheckpoint() names what is wrong with a checkpoint whose digest matches but whose header or lengths do not", () => {
  const good = encodeCheckpoint({
    fingerprint: "f",
    epoch: 1,
    iterations: 2,
    history: [0.5],
    weights: Float32Array.of(1, 2, 3),
    slots: [Float32Array.of(0, 0, 0)],
  });
  assert.equal(decodeCheckpoint(good).status, "good");
  const headerAt = 8 + 32 + 4 + 4; // magic, SHA-256, version, header length
  const headerLength = new DataView(good.buffer).getUint32(headerAt - 4, true);
  /** The checkpoint with its header text replaced (same length) and its digest made to match. */
  const withHeader = (edit: (header: string) => string) => {
    const bytes = good.slice();
    const header = new TextDecoder().decode(bytes.subarray(headerAt, headerAt + headerLength));
    const edited = new TextEncoder().encode(edit(header));
    assert.equal(edited.length, headerLength);
    bytes.set(edited, headerAt);
    bytes.set(createHash("sha256").update(bytes.subarray(8 + 32)).digest(), 8);
    return decodeCheckpoint(bytes);
  };
  assert.deepEqual(withHeader((header) => header.replace("{", "[")), {
    status: "damaged",
    reason: "its header is not valid JSON",
  });
  assert.deepEqual(withHeader((header) => header.replace('"lengths":[3,3]', '"lengths":[3,2]')), {
    status: "damaged",
    reason: "its header's array lengths (3,2) do not match its 24 data bytes",
  });
  assert.deepEqual(withHeader((header) => header.replace('"epoch":1', '"epoch":2')), {
    status: "damaged",
    reason: "its header lacks or mistypes a field",
  });
  const nextVersion = good.slice();
  new DataView(nextVersion.buffer).setUint32(headerAt - 8, 3, true);
  nextVersion.set(createHash("sha256").update(nextVersion.subarray(8 + 32)).digest(), 8);
  assert.deepEqual(decodeCheckpoint(nextVersion), {
    status: "damaged",
    reason: "its format version is 3, not 2",
  });
});
