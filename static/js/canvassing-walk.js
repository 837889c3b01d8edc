// The canvasser's phone page: one door at a time, results queued on the phone and sent when there is a connection.
// Each result carries its own UUID, so a result sent twice (a retry, a flaky network) is recorded once.
(() => {
  const root = document.getElementById("walk");
  const stateElement = document.getElementById("walk-state");
  if (!root || !stateElement) return;
  const turf = JSON.parse(stateElement.textContent);
  const storageKey = `blockwork-walk-${turf.turf.id}`;
  const form = document.getElementById("door-form");
  const statusLine = document.getElementById("sync-status");
  const progressLine = document.getElementById("walk-progress");
  const errorLine = document.getElementById("door-error");
  const questionsBox = document.getElementById("questions");
  let sending = false;

  const saved = JSON.parse(localStorage.getItem(storageKey) || "{}");
  const state = {
    queue: saved.queue || [],
    done: new Set([...(saved.done || []), ...turf.done]),
    index: 0,
    result: "",
  };

  function persist() {
    localStorage.setItem(storageKey, JSON.stringify({ queue: state.queue, done: [...state.done] }));
  }

  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function showStatus() {
    const waiting = state.queue.length;
    statusLine.classList.toggle("pending", waiting > 0);
    statusLine.classList.toggle("synced", waiting === 0);
    if (waiting) {
      const where = navigator.onLine ? "sending…" : "offline, they will be sent when you are back online";
      statusLine.textContent = `${waiting} result${waiting === 1 ? "" : "s"} waiting to sync (${where})`;
    } else {
      statusLine.textContent = "All results synced";
    }
  }

  function firstOpenDoor(from) {
    for (let i = from; i < turf.doors.length; i += 1) {
      if (!state.done.has(turf.doors[i].household_id)) return i;
    }
    return turf.doors.length;
  }

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    Object.entries(attributes || {}).forEach(([name, value]) => node.setAttribute(name, value));
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function renderQuestions() {
    questionsBox.replaceChildren();
    turf.questions.forEach((question, n) => {
      const fieldset = element("fieldset", { "data-question": question.id });
      fieldset.append(element("legend", {}, `${n + 1}. ${question.text}`));
      if (question.kind === "text") {
        const id = `q-${question.id}`;
        fieldset.append(element("label", { for: id, class: "visually-hidden" }, question.text));
        fieldset.append(element("input", { id, name: id, type: "text", maxlength: "500" }));
      } else {
        const type = question.kind === "multiple" ? "checkbox" : "radio";
        question.options.forEach((option) => {
          const label = element("label", { class: "choice" });
          const input = element("input", { type, name: `q-${question.id}`, value: option.value });
          label.append(input, ` ${option.label}`);
          fieldset.append(label);
        });
      }
      questionsBox.append(fieldset);
    });
  }

  function selectResult(result) {
    state.result = result;
    form.querySelectorAll("button.result").forEach((button) => {
      button.setAttribute("aria-pressed", String(button.dataset.result === result));
    });
    questionsBox.hidden = result !== "contact" || !turf.questions.length;
  }

  // Moving to another door moves focus to its address, so a screen reader reads it; a fresh page keeps it at the top.
  function renderDoor({ focus = true } = {}) {
    errorLine.textContent = "";
    const finished = state.index >= turf.doors.length;
    document.getElementById("walk-finished").hidden = !finished;
    form.hidden = finished;
    const knocked = turf.doors.filter((door) => state.done.has(door.household_id)).length;
    if (finished) {
      progressLine.textContent = `${knocked} of ${turf.doors.length} doors done`;
      return;
    }
    const door = turf.doors[state.index];
    progressLine.textContent = `Door ${door.position} of ${turf.doors.length} · ${knocked} done`;
    const heading = document.getElementById("door-address");
    heading.textContent = `${door.position}. ${door.address}`;
    const people = document.getElementById("people-choices");
    people.replaceChildren();
    door.people.forEach((person, n) => {
      const label = element("label", { class: "choice" });
      const input = element("input", { type: "radio", name: "person", value: person.id });
      if (n === 0 && door.people.length === 1) input.checked = true;
      label.append(input, ` ${person.name}`);
      people.append(label);
    });
    document.getElementById("door-people").hidden = !door.people.length;
    form.reset();
    if (door.people.length === 1) people.querySelector("input").checked = true;
    selectResult("");
    if (focus) heading.focus();
  }

  function collectAnswers() {
    const answers = {};
    if (state.result !== "contact") return answers;
    turf.questions.forEach((question) => {
      const inputs = [...form.querySelectorAll(`[name="q-${question.id}"]`)];
      if (question.kind === "text") {
        if (inputs[0].value.trim()) answers[question.id] = inputs[0].value.trim();
      } else if (question.kind === "multiple") {
        const picked = inputs.filter((input) => input.checked).map((input) => input.value);
        if (picked.length) answers[question.id] = picked;
      } else {
        const picked = inputs.find((input) => input.checked);
        if (picked) answers[question.id] = picked.value;
      }
    });
    return answers;
  }

  async function send() {
    if (sending) return;
    sending = true;
    try {
      while (state.queue.length) {
        const result = state.queue[0];
        let response;
        try {
          response = await fetch(root.dataset.submitUrl, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRFToken": root.dataset.csrf },
            body: JSON.stringify(result),
          });
        } catch (error) {
          break; // No connection: keep the queue and try again later.
        }
        if (response.status >= 500 || response.status === 429 || response.status === 403) break;
        if (!response.ok) {
          const body = await response.json().catch(() => ({}));
          const message = body.detail || Object.values(body).flat().join(" ") || "The result was refused.";
          errorLine.textContent = `Door ${result.position}: ${message}`;
        }
        state.queue.shift();
        persist();
        showStatus();
      }
    } finally {
      sending = false;
      showStatus();
    }
  }

  form.querySelectorAll("button.result").forEach((button) => {
    button.addEventListener("click", () => selectResult(button.dataset.result));
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (!state.result) {
      errorLine.textContent = "Tap a result first.";
      return;
    }
    const door = turf.doors[state.index];
    const person = form.querySelector('input[name="person"]:checked');
    const answers = collectAnswers();
    if (Object.keys(answers).length && !person && door.people.length > 1) {
      errorLine.textContent = "Choose who answered, so their answers reach the right person.";
      return;
    }
    state.queue.push({
      client_uuid: newUuid(),
      household_id: door.household_id,
      person_id: person ? Number(person.value) : null,
      result: state.result,
      answers,
      notes: document.getElementById("door-note").value.trim(),
      occurred_at: new Date().toISOString(),
      position: door.position,
    });
    state.done.add(door.household_id);
    persist();
    state.index = firstOpenDoor(state.index + 1);
    renderDoor();
    showStatus();
    send();
  });

  document.getElementById("skip-door").addEventListener("click", () => {
    state.index = Math.min(state.index + 1, turf.doors.length);
    renderDoor();
  });
  document.getElementById("prev-door").addEventListener("click", () => {
    state.index = Math.max(state.index - 1, 0);
    renderDoor();
  });

  window.addEventListener("online", send);
  window.addEventListener("offline", showStatus);
  setInterval(send, 5000);

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(root.dataset.swUrl, { scope: "/" }).catch(() => {});
  }

  renderQuestions();
  state.index = firstOpenDoor(0);
  renderDoor({ focus: false });
  showStatus();
  send();
})();
