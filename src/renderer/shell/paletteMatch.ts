// Matching what people type in the command palette against pages and resources:
// the letters must appear in order (fuzzy, like editors' "go to file"); a match at
// the start, at word starts (after - . / space) and in one run scores higher, and
// shorter names win ties. Pure, so the ranking is tested without a browser.

/** PaletteItem is one place the palette can jump to. */
export interface PaletteItem {
  /** id is unique among the items, e.g. "pod/default/web-1". */
  id: string;
  /** kind says what it is (a translation key suffix: area, pod, deployment, ...). */
  kind: string;
  /** label is what is matched and shown, e.g. the resource name. */
  label: string;
  /** detail is shown beside the label (a namespace) and matched with less weight. */
  detail?: string;
  /** hash is the route to open. */
  hash: string;
}

/** PaletteMatch is a ranked item with the label positions that matched (to highlight). */
export interface PaletteMatch {
  item: PaletteItem;
  score: number;
  positions: number[];
}

const wordStart = (text: string, i: number) => i === 0 || /[-_./\s:]/.test(text[i - 1]);

/**
 * fuzzyScore scores how well a query matches a text, or returns undefined when the
 * query's characters do not all appear in order. Case is ignored.
 */
export function fuzzyScore(query: string, text: string): { score: number; positions: number[] } | undefined {
  const q = query.toLowerCase();
  const s = text.toLowerCase();
  if (q === '') return { score: 0, positions: [] };
  // A plain substring is the strongest match; prefer the earliest word-start occurrence.
  const at = s.indexOf(q);
  if (at >= 0) {
    let best = at;
    for (let i = at; i >= 0; i = s.indexOf(q, i + 1)) {
      if (wordStart(s, i)) {
        best = i;
        break;
      }
    }
    const positions = Array.from({ length: q.length }, (_, k) => best + k);
    return { score: 100 + (best === 0 ? 50 : wordStart(s, best) ? 25 : 0) - s.length * 0.1, positions };
  }
  const positions: number[] = [];
  let score = 0;
  let from = 0;
  for (const ch of q) {
    const i = s.indexOf(ch, from);
    if (i < 0) return undefined;
    score += wordStart(s, i) ? 8 : positions.length && i === positions[positions.length - 1] + 1 ? 5 : 1;
    positions.push(i);
    from = i + 1;
  }
  return { score: score - s.length * 0.1, positions };
}

/**
 * rankItems returns the items matching the query, best first, at most limit. The
 * label counts fully; a match only in the detail (namespace) counts for less. An
 * empty query keeps the given order.
 */
export function rankItems(items: readonly PaletteItem[], query: string, limit = 50): PaletteMatch[] {
  const q = query.trim();
  if (q === '') return items.slice(0, limit).map((item) => ({ item, score: 0, positions: [] }));
  const out: PaletteMatch[] = [];
  for (const item of items) {
    const label = fuzzyScore(q, item.label);
    if (label) {
      out.push({ item, score: label.score, positions: label.positions });
      continue;
    }
    const both = fuzzyScore(q, `${item.detail ?? ''} ${item.label}`);
    if (both) out.push({ item, score: both.score / 4, positions: [] });
  }
  out.sort((a, b) => b.score - a.score || a.item.label.localeCompare(b.item.label));
  return out.slice(0, limit);
}
