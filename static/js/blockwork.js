// Close an open menu with Escape or a click elsewhere, and return focus to its button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    menu.removeAttribute("open");
    menu.querySelector("summary").focus();
  });
});
document.addEventListener("click", (event) => {
  document.querySelectorAll("details.menu[open]").forEach((menu) => {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  });
});

// Filters folded away on a phone are laid out open on a wider screen.
if (window.matchMedia("(min-width: 48em)").matches) {
  document.querySelectorAll("details[data-open-wide]").forEach((details) => { details.open = true; });
}

// On the column mapping page, show what the chosen column holds in the file's first rows.
const columnExamples = document.getElementById("column-examples");
if (columnExamples) {
  const examples = JSON.parse(columnExamples.textContent);
  document.querySelectorAll("select[data-example]").forEach((select) => {
    select.addEventListener("change", () => {
      const example = examples[select.value] || "";
      document.getElementById(select.dataset.example).textContent = example ? `For example: ${example}` : "";
    });
  });
}
