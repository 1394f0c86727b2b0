// The report's interactive explorer, as the browser runs it: a 3-D scatter of
// the encoding (plotly.js, inlined before this script) that turns and zooms;
// a tooltip with the point's image, its reconstruction, its label and its
// cluster; decoded centroids and a contingency table that select points.
// report/explorer_html.ts inlines this file into report.html after the data
// (<script id="explorer-data" type="application/json">) it reads. It asks the
// network for nothing: the arrays are unpacked with DecompressionStream from
// base64 text in the page, and images are drawn on canvases.
// Plain JavaScript, so that it runs as it is written; no build step.

(() => {
  const section = document.getElementById("explorer");
  const plot = document.getElementById("explorer-plot");
  const tooltip = document.getElementById("explorer-tooltip");
  const status = document.getElementById("explorer-status");
  const clear = document.getElementById("explorer-clear");
  const colourChoice = document.getElementById("explorer-colour");
  const runLine = document.getElementById("report-run");

  // reports/<run>.html sends the reader here with #run=<id>: name that run.
  const run = new URLSearchParams(location.hash.slice(1)).get("run");
  if (run && runLine) {
    runLine.textContent = `run ${run}`;
    runLine.hidden = false;
  }

  /** base64 of gzip → a typed array of `Type`. */
  async function unpack(base64, Type) {
    const binary = atob(base64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Type(await new Response(stream).arrayBuffer());
  }

  /** Draws image `index` of `images` (bytes, side × side) on a new canvas. */
  function imageCanvas(images, index, side, scale) {
    const canvas = document.createElement("canvas");
    canvas.width = side;
    canvas.height = side;
    canvas.style.width = `${side * scale}px`;
    canvas.style.height = `${side * scale}px`;
    const context = canvas.getContext("2d");
    const pixels = context.createImageData(side, side);
    for (let p = 0; p < side * side; p++) {
      const value = images[index * side * side + p];
      pixels.data[4 * p] = value;
      pixels.data[4 * p + 1] = value;
      pixels.data[4 * p + 2] = value;
      pixels.data[4 * p + 3] = 255;
    }
    context.putImageData(pixels, 0, 0);
    return canvas;
  }

  function fail(error) {
    section.dataset.state = "failed";
    const message = document.createElement("p");
    message.className = "note";
    message.textContent = `The interactive scatter could not start: ${error}`;
    plot.replaceWith(message);
  }

  async function start() {
    if (typeof Plotly === "undefined") throw new Error("plotly.js is missing from the page");
    const data = JSON.parse(document.getElementById("explorer-data").textContent);
    const [points, labels, assignments, images, reconstructions, centroidImages] = await Promise
      .all([
        unpack(data.points, Float32Array),
        unpack(data.labels, Int32Array),
        unpack(data.assignments, Int32Array),
        unpack(data.images, Uint8Array),
        unpack(data.reconstructions, Uint8Array),
        unpack(data.centroidImages, Uint8Array),
      ]);
    const side = data.imageSide;
    const labelName = (label) => label < 0 ? "unlabelled" : data.labelNames[label] ?? `${label}`;
    const colour = (group) => group < 0 ? "#b0b0b0" : data.colours[group] ?? "#444";

    let colourBy = "label";
    /** `{ cluster?, label? }`: the points shown in colour; null for all. */
    let selection = null;
    /** For each trace, the point index of each of its markers. */
    let traceIndices = [];

    const matches = (i) =>
      selection === null ||
      ((selection.cluster === undefined || assignments[i] === selection.cluster) &&
        (selection.label === undefined || labels[i] === selection.label));

    function trace(indices, name, markerColour, size) {
      const x = new Float32Array(indices.length);
      const y = new Float32Array(indices.length);
      const z = new Float32Array(indices.length);
      indices.forEach((index, j) => {
        x[j] = points[3 * index];
        y[j] = points[3 * index + 1];
        z[j] = points[3 * index + 2];
      });
      return {
        type: "scatter3d",
        mode: "markers",
        name,
        x: Array.from(x),
        y: Array.from(y),
        z: Array.from(z),
        marker: { size, color: markerColour, line: { width: 0 } },
        hoverinfo: "none",
      };
    }

    function traces() {
      const others = [];
      const groups = new Map();
      for (let i = 0; i < data.count; i++) {
        if (!matches(i)) {
          others.push(i);
          continue;
        }
        const group = colourBy === "label" ? labels[i] : assignments[i];
        if (!groups.has(group)) groups.set(group, []);
        groups.get(group).push(i);
      }
      const keys = [...groups.keys()].sort((a, b) => a - b);
      traceIndices = [
        others,
        ...keys.map((key) => groups.get(key)),
        data.centroids.map((_, c) => c),
      ];
      const result = [
        { ...trace(others, "not selected", "#d9d9d9", 2), showlegend: others.length > 0 },
        ...keys.map((key) =>
          trace(
            groups.get(key),
            colourBy === "label" ? labelName(key) : `cluster ${key}`,
            colour(key),
            3,
          )
        ),
      ];
      const shownCentroids = data.centroids.map((_, c) => c).filter((c) =>
        selection === null || selection.cluster === undefined || selection.cluster === c
      );
      traceIndices[traceIndices.length - 1] = shownCentroids;
      result.push({
        type: "scatter3d",
        mode: "markers",
        name: "centroids",
        x: shownCentroids.map((c) => data.centroids[c][0]),
        y: shownCentroids.map((c) => data.centroids[c][1]),
        z: shownCentroids.map((c) => data.centroids[c][2]),
        marker: { size: 5, color: "#000000", symbol: "diamond" },
        hoverinfo: "none",
      });
      return result;
    }

    const axis = (title) => ({ title: { text: title }, showspikes: false });
    const layout = {
      uirevision: "explorer",
      margin: { l: 0, r: 0, t: 0, b: 0 },
      legend: { itemsizing: "constant", x: 1, xanchor: "right", y: 0.92 },
      scene: {
        xaxis: axis(data.axisTitles[0]),
        yaxis: axis(data.axisTitles[1]),
        zaxis: axis(data.axisTitles[2]),
        aspectmode: "cube",
        camera: { eye: { x: 1.5, y: -1.5, z: 1.1 } },
      },
    };
    const config = { displaylogo: false, responsive: true, scrollZoom: true };

    function describe() {
      const shown = traceIndices.slice(1, -1).reduce((sum, indices) => sum + indices.length, 0);
      const total = data.count.toLocaleString("en");
      if (selection === null) {
        status.textContent = `${total} points; hover one to see its image`;
        clear.hidden = true;
      } else {
        const parts = [];
        if (selection.cluster !== undefined) parts.push(`cluster ${selection.cluster}`);
        if (selection.label !== undefined) parts.push(`label ${labelName(selection.label)}`);
        status.textContent = `${parts.join(" × ")}: ${
          shown.toLocaleString("en")
        } of the ${total} points`;
        clear.hidden = false;
      }
      section.dataset.selected = String(shown);
      for (const element of section.querySelectorAll("[data-cluster], [data-label]")) {
        const cluster = element.dataset.cluster === undefined
          ? undefined
          : Number(element.dataset.cluster);
        const label = element.dataset.label === undefined
          ? undefined
          : Number(element.dataset.label);
        element.classList.toggle(
          "selected",
          selection !== null && selection.cluster === cluster && selection.label === label,
        );
      }
    }

    async function redraw() {
      await Plotly.react(plot, traces(), layout, config);
      describe();
    }

    function select(next) {
      const same = selection !== null && next !== null && selection.cluster === next.cluster &&
        selection.label === next.label;
      selection = same ? null : next;
      return redraw();
    }

    // The tooltip follows the mouse; plotly says which point is under it.
    let mouse = { x: 0, y: 0 };
    plot.addEventListener("mousemove", (event) => {
      mouse = { x: event.clientX, y: event.clientY };
      const bounds = plot.getBoundingClientRect();
      tooltip.style.left = `${Math.min(mouse.x - bounds.left + 16, bounds.width - 200)}px`;
      tooltip.style.top = `${mouse.y - bounds.top + 16}px`;
    });
    plot.addEventListener("mouseleave", () => {
      tooltip.hidden = true;
    });

    function showPoint(index) {
      tooltip.replaceChildren();
      const row = document.createElement("div");
      row.className = "tip-images";
      const figure = (canvas, caption) => {
        const element = document.createElement("figure");
        const text = document.createElement("figcaption");
        text.textContent = caption;
        element.append(canvas, text);
        row.append(element);
      };
      if (index < data.imageCount) {
        figure(imageCanvas(images, index, side, 3), "image");
        figure(imageCanvas(reconstructions, index, side, 3), "reconstruction");
      }
      const text = document.createElement("div");
      text.className = "tip-text";
      const label = document.createElement("b");
      label.className = "tip-label";
      label.textContent = labelName(labels[index]);
      const cluster = document.createElement("b");
      cluster.className = "tip-cluster";
      cluster.textContent = String(assignments[index]);
      text.append("label ", label, " · cluster ", cluster);
      const detail = document.createElement("div");
      detail.className = "note";
      detail.textContent = index < data.imageCount
        ? `training image #${index}`
        : `training image #${index}; no image kept (render.explorerPoints)`;
      tooltip.append(row, text, detail);
      tooltip.dataset.point = String(index);
      tooltip.hidden = false;
    }

    function showCentroid(cluster) {
      tooltip.replaceChildren();
      const row = document.createElement("div");
      row.className = "tip-images";
      row.append(imageCanvas(centroidImages, cluster, side, 3));
      const text = document.createElement("div");
      text.className = "tip-text";
      text.textContent = `centroid of cluster ${cluster}, decoded`;
      tooltip.append(row, text);
      tooltip.dataset.point = `centroid ${cluster}`;
      tooltip.hidden = false;
    }

    await Plotly.newPlot(plot, traces(), layout, config);
    describe();
    plot.on("plotly_hover", (event) => {
      const point = event.points[0];
      if (point === undefined) return;
      const indices = traceIndices[point.curveNumber];
      const index = indices?.[point.pointNumber];
      if (index === undefined) return;
      if (point.curveNumber === traceIndices.length - 1) showCentroid(index);
      else showPoint(index);
    });
    plot.on("plotly_unhover", () => {
      tooltip.hidden = true;
    });
    plot.on("plotly_click", (event) => {
      const point = event.points[0];
      if (point?.curveNumber === traceIndices.length - 1) {
        select({ cluster: traceIndices.at(-1)[point.pointNumber] });
      }
    });

    for (const button of section.querySelectorAll("button.centroid")) {
      const cluster = Number(button.dataset.cluster);
      button.querySelector(".centroid-image").replaceWith(
        imageCanvas(centroidImages, cluster, side, 2),
      );
      button.addEventListener("click", () => select({ cluster }));
    }
    for (
      const cell of section.querySelectorAll(
        "table.explorer-contingency [data-cluster], table.explorer-contingency [data-label]",
      )
    ) {
      cell.addEventListener("click", () =>
        select({
          cluster: cell.dataset.cluster === undefined ? undefined : Number(cell.dataset.cluster),
          label: cell.dataset.label === undefined ? undefined : Number(cell.dataset.label),
        }));
    }
    clear.addEventListener("click", () => select(null));
    colourChoice.addEventListener("change", () => {
      colourBy = colourChoice.value;
      redraw();
    });
    section.dataset.state = "ready";
  }

  start().catch((error) => fail(error instanceof Error ? error.message : String(error)));
})();
