/**
 * The 3-D view of the scatter, for 3-d encodings and for the first three
 * principal components of wider ones: an orthographic camera on the cube
 * the data spans, its far faces drawn as gridded panes, each axis ticked
 * along its outermost edge, and nearer points drawn over farther ones.
 * Private to `report/figures/` (see `scatter.ts`).
 *
 * @module
 */
import { px, svgText } from "./_svg.ts";
import { formatTick, niceTicks } from "./_ticks.ts";
import { along, viewBasis } from "./_projection.ts";
import type { PlotArea, PlotLayer } from "./_scatter_marks.ts";
import { bounds, centroidMarkers, circles, pointRadius } from "./_scatter_marks.ts";

/**
 * The 3-D view: each axis is scaled to [-1, 1] over the drawn points and
 * centroids, the cube is seen by an orthographic camera, its three far faces
 * are drawn as panes with grid lines, and each axis is ticked along the cube
 * edge that lies outermost on screen.
 */
export function cubeLayer(
  points: Float64Array,
  labels: Int32Array,
  centroids: Float64Array,
  area: PlotArea,
  angles: { readonly elevation: number; readonly azimuth: number },
  axisNames: [string, string, string],
): PlotLayer {
  const basis = viewBasis(angles.elevation, angles.azimuth);
  const axisBounds = [0, 1, 2].map((a) => bounds(3, a, points, centroids));
  const axisTicks = axisBounds.map(([min, max]) =>
    niceTicks(min, max, 4).filter((t) => t >= min && t <= max)
  );
  const toUnit = (a: number, value: number) => {
    const [min, max] = axisBounds[a]!;
    return ((value - min) / (max - min)) * 2 - 1;
  };

  // Fit the projected cube into the plot area, leaving room for tick labels.
  const margin = 78;
  const cx = (area.left + area.right) / 2;
  const cy = (area.top + area.bottom) / 2;
  let halfWidth = 0;
  let halfHeight = 0;
  for (let corner = 0; corner < 8; corner++) {
    const [x, y, z] = cornerOf(corner);
    halfWidth = Math.max(halfWidth, Math.abs(along(basis.right, x, y, z)));
    halfHeight = Math.max(halfHeight, Math.abs(along(basis.up, x, y, z)));
  }
  const scale = Math.min(
    ((area.right - area.left) / 2 - margin) / halfWidth,
    ((area.bottom - area.top) / 2 - margin) / halfHeight,
  );
  const screen = (x: number, y: number, z: number): [number, number] => [
    cx + scale * along(basis.right, x, y, z),
    cy - scale * along(basis.up, x, y, z),
  ];

  const parts: string[] = [];
  // Far panes: faces whose outward normal points away from the viewer.
  for (let a = 0; a < 3; a++) {
    for (const side of [-1, 1]) {
      if (side * basis.toward[a]! >= 0) continue;
      const [b, c] = [(a + 1) % 3, (a + 2) % 3];
      const facePoint = (u: number, v: number): [number, number] => {
        const p: [number, number, number] = [0, 0, 0];
        p[a] = side;
        p[b] = u;
        p[c] = v;
        return screen(...p);
      };
      const outline = [facePoint(-1, -1), facePoint(1, -1), facePoint(1, 1), facePoint(-1, 1)];
      parts.push(
        `<polygon points="${outline.map(([x, y]) => `${px(x)},${px(y)}`).join(" ")}" ` +
          `fill="#f2f2f2" stroke="#b8b8b8"/>`,
      );
      const grid: string[] = [];
      for (const tick of axisTicks[b]!) {
        const u = toUnit(b, tick);
        const [x1, y1] = facePoint(u, -1);
        const [x2, y2] = facePoint(u, 1);
        grid.push(`M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`);
      }
      for (const tick of axisTicks[c]!) {
        const v = toUnit(c, tick);
        const [x1, y1] = facePoint(-1, v);
        const [x2, y2] = facePoint(1, v);
        grid.push(`M${px(x1)} ${px(y1)}L${px(x2)} ${px(y2)}`);
      }
      if (grid.length > 0) parts.push(`<path d="${grid.join("")}" stroke="#dddddd" fill="none"/>`);
    }
  }

  // Ticks and names along the outermost edge parallel to each axis.
  for (let a = 0; a < 3; a++) {
    const directionX = basis.right[a]!;
    const directionY = basis.up[a]!;
    const length = Math.hypot(directionX, directionY);
    // An axis pointing straight at the viewer has no edge to label.
    if (length < 0.05) continue;
    // Outward normal on screen (y up), turned to point down, or left when level.
    let normalX = -directionY / length;
    let normalY = directionX / length;
    if (normalY > 1e-9 || (Math.abs(normalY) <= 1e-9 && normalX > 0)) {
      normalX = -normalX;
      normalY = -normalY;
    }
    const [b, c] = [(a + 1) % 3, (a + 2) % 3];
    let best: [number, number] = [-1, -1];
    let bestReach = -Infinity;
    for (const sb of [-1, 1]) {
      for (const sc of [-1, 1]) {
        const p: [number, number, number] = [0, 0, 0];
        p[b] = sb;
        p[c] = sc;
        const reach = normalX * along(basis.right, ...p) + normalY * along(basis.up, ...p);
        if (reach > bestReach + 1e-9) {
          bestReach = reach;
          best = [sb, sc];
        }
      }
    }
    const edgePoint = (t: number): [number, number] => {
      const p: [number, number, number] = [0, 0, 0];
      p[a] = t;
      p[b] = best[0];
      p[c] = best[1];
      return screen(...p);
    };
    // Screen offsets along the outward normal (SVG y grows downwards).
    const offsetX = normalX;
    const offsetY = -normalY;
    const anchor = offsetX < -0.35 ? "end" : offsetX > 0.35 ? "start" : "middle";
    const [startX, startY] = edgePoint(-1);
    const [endX, endY] = edgePoint(1);
    parts.push(
      `<line x1="${px(startX)}" y1="${px(startY)}" x2="${px(endX)}" y2="${
        px(endY)
      }" stroke="#555"/>`,
    );
    for (const tick of axisTicks[a]!) {
      const [x, y] = edgePoint(toUnit(a, tick));
      parts.push(
        `<line x1="${px(x)}" y1="${px(y)}" x2="${px(x + 6 * offsetX)}" y2="${
          px(y + 6 * offsetY)
        }" stroke="#555"/>`,
      );
      parts.push(
        svgText(x + 12 * offsetX, y + 12 * offsetY, formatTick(tick), {
          size: 11,
          anchor,
          baseline: "middle",
        }),
      );
    }
    // The name goes beyond the tick labels: their width counts where they stick out sideways.
    const tickWidth = Math.max(0, ...axisTicks[a]!.map((tick) => formatTick(tick).length)) * 6.5;
    const nameOffset = 28 + Math.abs(offsetX) * tickWidth + Math.abs(offsetY) * 14;
    const [midX, midY] = edgePoint(0);
    parts.push(
      svgText(midX + nameOffset * offsetX, midY + nameOffset * offsetY, axisNames[a]!, {
        size: 13,
        weight: "bold",
        anchor: "middle",
        baseline: "middle",
      }),
    );
  }

  const count = labels.length;
  const pointPositions = new Float64Array(count * 2);
  const depth = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const x = toUnit(0, points[3 * i]!);
    const y = toUnit(1, points[3 * i + 1]!);
    const z = toUnit(2, points[3 * i + 2]!);
    [pointPositions[2 * i], pointPositions[2 * i + 1]] = screen(x, y, z);
    depth[i] = along(basis.toward, x, y, z);
  }
  // Far points first, so nearer ones cover them; ties keep input order.
  const order = Array.from({ length: count }, (_, i) => i).sort((i, j) =>
    depth[i]! - depth[j]! || i - j
  );
  parts.push(circles(pointPositions, labels, order, pointRadius(area)));

  const k = centroids.length / 3;
  const centroidPositions = new Float64Array(k * 2);
  for (let c = 0; c < k; c++) {
    [centroidPositions[2 * c], centroidPositions[2 * c + 1]] = screen(
      toUnit(0, centroids[3 * c]!),
      toUnit(1, centroids[3 * c + 1]!),
      toUnit(2, centroids[3 * c + 2]!),
    );
  }
  parts.push(centroidMarkers(centroidPositions, 9));
  return { svg: parts.join(""), pointPositions, centroidPositions };
}

/** Corner `index` (0..7) of the cube [−1, 1]³: bits 0, 1, 2 pick the sign of x, y, z. */
function cornerOf(index: number): [number, number, number] {
  return [index & 1 ? 1 : -1, index & 2 ? 1 : -1, index & 4 ? 1 : -1];
}
