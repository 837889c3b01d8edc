// The paper-results grid: up and down arrows move to the same column in the next or previous door.
document.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const cell = event.target.closest(".results-grid .cell");
  if (!cell || cell.tagName === "SELECT") return;
  const row = cell.closest("tr");
  const column = Array.from(row.querySelectorAll(".cell")).indexOf(cell);
  const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
  if (!next) return;
  event.preventDefault();
  next.querySelectorAll(".cell")[column].focus();
});
