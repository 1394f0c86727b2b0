/**
 * The orthographic camera of the 3-D scatter: the same angle convention as
 * matplotlib's `view_init(elev, azim)`, so a viewing angle copied from a
 * notebook gives the same picture.
 *
 * @module
 */

/** Unit vectors of the screen in data coordinates. */
export interface ViewBasis {
  /** Data direction drawn to the right. */
  readonly right: readonly [number, number, number];
  /** Data direction drawn upwards. */
  readonly up: readonly [number, number, number];
  /** Data direction pointing at the viewer: larger depth is nearer. */
  readonly toward: readonly [number, number, number];
}

/**
 * The camera looking at the origin from `azimuth` degrees around the
 * vertical (third) axis, counted from the first axis, and `elevation` degrees
 * above the plane of the first two axes.
 */
export function viewBasis(elevation: number, azimuth: number): ViewBasis {
  const theta = (elevation * Math.PI) / 180;
  const phi = (azimuth * Math.PI) / 180;
  return {
    right: [-Math.sin(phi), Math.cos(phi), 0],
    up: [-Math.sin(theta) * Math.cos(phi), -Math.sin(theta) * Math.sin(phi), Math.cos(theta)],
    toward: [Math.cos(theta) * Math.cos(phi), Math.cos(theta) * Math.sin(phi), Math.sin(theta)],
  };
}

/** Dot product of a 3-vector with a basis direction. */
export function along(
  direction: readonly [number, number, number],
  x: number,
  y: number,
  z: number,
): number {
  return direction[0] * x + direction[1] * y + direction[2] * z;
}
