// The merge queue shared by the rank-table engine (bpe.ts) and user tokenizer.json files (userTokenizer.ts): a
// min-heap of packed keys, rank × 2^32 + position, so equal ranks pop leftmost first, as tiktoken and Hugging Face
// merge. Plain functions over a Float64Array keep the hot loop free of allocation.

/** Pushes v onto the min-heap a[0..size); returns the new size. */
export function heapPush(a: Float64Array, size: number, v: number): number {
  let i = size;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (a[p] <= v) break;
    a[i] = a[p];
    i = p;
  }
  a[i] = v;
  return size + 1;
}

/** Removes the top of the min-heap a[0..size); returns the new size. */
export function heapPop(a: Float64Array, size: number): number {
  const last = size - 1;
  const v = a[last];
  let i = 0;
  const half = last >> 1;
  while (i < half) {
    let c = 2 * i + 1;
    if (c + 1 < last && a[c + 1] < a[c]) c++;
    if (a[c] >= v) break;
    a[i] = a[c];
    i = c;
  }
  a[i] = v;
  return last;
}
