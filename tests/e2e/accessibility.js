// Audit the page in view for what a screen reader, a keyboard or weak eyes would miss; return the problems.
() => {
  const problems = [];
  const excerpt = (el) => el.outerHTML.replace(/\s+/g, " ").slice(0, 140);
  const text = (value) => (value || "").replace(/\s+/g, " ").trim();
  const rendered = (el) => {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    return style.display !== "none" && style.visibility !== "hidden" && box.width > 0 && box.height > 0;
  };

  const accessibleName = (el) => {
    const labelledBy = el.getAttribute("aria-labelledby");
    if (labelledBy) {
      const named = labelledBy.split(/\s+/).map((id) => text(document.getElementById(id)?.textContent)).join(" ");
      if (text(named)) return text(named);
    }
    if (text(el.getAttribute("aria-label"))) return text(el.getAttribute("aria-label"));
    if (el.labels && el.labels.length) {
      const labelled = Array.from(el.labels).map((label) => text(label.textContent)).join(" ");
      if (text(labelled)) return text(labelled);
    }
    if (el.tagName === "INPUT" && ["submit", "button", "reset"].includes(el.type)) return text(el.value);
    if (["A", "BUTTON", "SUMMARY"].includes(el.tagName) || el.getAttribute("role") === "button") {
      const alts = Array.from(el.querySelectorAll("img[alt], svg[aria-label]"))
        .map((img) => img.getAttribute("alt") || img.getAttribute("aria-label"))
        .join(" ");
      if (text(el.textContent + " " + alts)) return text(el.textContent + " " + alts);
    }
    return text(el.getAttribute("title"));
  };

  if (!text(document.documentElement.lang)) problems.push("the page has no lang");
  if (!text(document.title)) problems.push("the page has no title");
  if (document.querySelectorAll("main").length !== 1) problems.push("the page needs exactly one <main>");
  if (!document.querySelector("h1")) problems.push("the page has no <h1>");

  const seen = new Set();
  for (const el of document.querySelectorAll("[id]")) {
    if (seen.has(el.id)) problems.push(`id "${el.id}" is used twice`);
    seen.add(el.id);
  }
  for (const el of document.querySelectorAll("[for]")) {
    if (el.tagName === "LABEL" && !document.getElementById(el.htmlFor)) {
      problems.push(`label for "${el.htmlFor}" names no element: ${excerpt(el)}`);
    }
  }

  // Every control, shown or folded away, needs a name: a folded filter is opened and then read.
  const controls = "input:not([type=hidden]), select, textarea, button, a[href], summary, [role=button]";
  for (const el of document.querySelectorAll(controls)) {
    if (!accessibleName(el)) problems.push(`no accessible name: ${excerpt(el)}`);
  }
  for (const el of document.querySelectorAll("img:not([alt])")) problems.push(`image without alt: ${excerpt(el)}`);
  for (const el of document.querySelectorAll("svg:not([aria-hidden=true])")) {
    if (!el.closest("a, button, summary") && !el.getAttribute("role") && !el.querySelector("title")) {
      problems.push(`svg with neither a role and title nor aria-hidden: ${excerpt(el)}`);
    }
  }

  // Contrast (WCAG 2 AA): text against the background it is painted on.
  const channels = (color) => {
    const parts = color.match(/[\d.]+/g);
    if (!parts) return null;
    const [r, g, b, a] = parts.map(Number);
    return { r, g, b, a: a === undefined ? 1 : a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null; // a gradient or picture: not judged here
      const color = channels(style.backgroundColor);
      if (color && color.a > 0) {
        layers.push(color);
        if (color.a === 1) break;
      }
    }
    return layers.reduceRight((below, layer) => over(layer, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const luminance = ({ r, g, b }) => {
    const linear = [r, g, b].map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2];
  };
  const judged = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!text(node.textContent) || judged.has(el) || el.closest("svg, [aria-hidden=true], .visually-hidden")) continue;
    judged.add(el);
    if (!rendered(el) || el.closest(":disabled, details:not([open]) > :not(summary)")) continue;
    const style = getComputedStyle(el);
    const back = background(el);
    const fore = channels(style.color);
    if (!back || !fore) continue;
    const ink = over(fore, back);
    const [light, dark] = [luminance(ink), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    if (ratio < (large ? 3 : 4.5)) {
      problems.push(`contrast ${ratio.toFixed(2)} (${style.color} on rgb(${back.r}, ${back.g}, ${back.b})): ${excerpt(el)}`);
    }
  }
  return problems;
}
