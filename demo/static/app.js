// The demo page: polls /api/state and draws three chats. Message HTML comes from the server,
// which builds it from Telegram's entities with every character of text escaped (demo/render.py);
// everything else (names, labels, errors) is inserted as text, never as HTML.
"use strict";

const SUGGESTIONS = {
  resident: ["/start", "/help", "/mydata"],
  officer: ["/cases", "/mytrust", "/help"],
  commanders: ["/digest", "/trust", "/attention"],
};
const PLACEHOLDERS = {
  resident: "Write to the bot as Ana…",
  officer: "Write to the bot as Officer Reyes…",
  commanders: "Write in the group as Commander Diaz…",
};

let version = -1;
const panes = new Map(); // key -> {root, messages, rendered}

async function api(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({ok: false, error: "The demo server did not answer."}));
  if (!response.ok || !data.ok) throw new Error(data.error || "Something went wrong.");
  return data;
}

function showError(pane, message) {
  const error = pane.root.querySelector(".error");
  error.textContent = message || "";
  error.hidden = !message;
}

async function act(pane, path, body) {
  showError(pane, "");
  try {
    await api(path, body);
  } catch (err) {
    showError(pane, err.message);
  }
}

function send(pane, text) {
  return act(pane, "/api/send", {pane: pane.key, text});
}

function paneFor(data) {
  let pane = panes.get(data.key);
  if (pane) return pane;
  const root = document.getElementById("pane-template").content.firstElementChild.cloneNode(true);
  root.id = `pane-${data.key}`;
  root.setAttribute("aria-labelledby", `title-${data.key}`);
  root.querySelector(".pane-title").id = `title-${data.key}`;
  const input = root.querySelector("input");
  input.id = `input-${data.key}`;
  input.placeholder = PLACEHOLDERS[data.key] || "Write a message…";
  const label = root.querySelector("label");
  label.htmlFor = input.id;
  label.textContent = `Message in ${data.title}`;
  pane = {key: data.key, root, messages: root.querySelector(".messages"), rendered: ""};
  root.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault(); // Enter in the field submits the form: Enter sends
    const text = input.value.trim();
    if (!text) return;
    input.value = "";
    await send(pane, text);
    input.focus();
  });
  const suggestions = root.querySelector(".suggestions");
  for (const command of SUGGESTIONS[data.key] || []) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "suggestion";
    button.textContent = command;
    button.title = `Send ${command}`;
    button.addEventListener("click", () => send(pane, command));
    suggestions.append(button);
  }
  document.getElementById("panes").append(root);
  panes.set(data.key, pane);
  return pane;
}

function messageItem(pane, message) {
  const item = document.createElement("li");
  item.className = `message from-${message.from}`;
  item.dataset.messageId = message.id;
  if (message.from === "other" && message.name) {
    const name = document.createElement("span");
    name.className = "sender";
    name.textContent = message.name;
    item.append(name);
  }
  if (message.media) {
    const media = message.media;
    if (media.image) {
      const link = document.createElement("a");
      link.href = media.url;
      link.target = "_blank";
      link.rel = "noopener";
      const img = document.createElement("img");
      img.src = media.url;
      img.alt = media.kind === "photo" ? "Chart sent by the bot" : media.filename;
      img.loading = "lazy";
      link.append(img);
      item.append(link);
    } else {
      const link = document.createElement("a");
      link.className = "document";
      link.href = media.url;
      link.download = media.filename;
      link.textContent = `📎 ${media.filename}`;
      item.append(link);
    }
  }
  if (message.html) {
    const body = document.createElement("div");
    body.className = "body";
    body.innerHTML = message.html; // built server-side from entities, all text escaped
    item.append(body);
  }
  if (message.edited) {
    const edited = document.createElement("span");
    edited.className = "edited";
    edited.textContent = "edited";
    item.append(edited);
  }
  if (message.buttons.length) {
    const keyboard = document.createElement("div");
    keyboard.className = "inline-keyboard";
    keyboard.setAttribute("role", "group");
    keyboard.setAttribute("aria-label", "Buttons under this message");
    for (const row of message.buttons) {
      const line = document.createElement("div");
      line.className = "row";
      for (const spec of row) {
        if (spec.kind === "url") {
          const link = document.createElement("a");
          link.className = "inline-button";
          link.href = spec.url;
          link.target = "_blank";
          link.rel = "noopener noreferrer";
          link.textContent = `${spec.label} ↗`;
          line.append(link);
          continue;
        }
        const button = document.createElement("button");
        button.type = "button";
        button.className = "inline-button";
        button.textContent = spec.label;
        button.disabled = spec.kind !== "callback";
        button.addEventListener("click", async () => {
          button.disabled = true;
          await act(pane, "/api/press", {pane: pane.key, message_id: message.id, label: spec.label});
          button.disabled = false;
        });
        line.append(button);
      }
      keyboard.append(line);
    }
    item.append(keyboard);
  }
  return item;
}

function renderReplyKeyboard(pane, rows) {
  const box = pane.root.querySelector(".reply-keyboard");
  box.replaceChildren();
  box.hidden = !rows;
  if (!rows) return;
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Keyboard the bot offers");
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "row";
    for (const label of row) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "reply-button";
      button.textContent = label;
      button.addEventListener("click", () => send(pane, label));
      line.append(button);
    }
    box.append(line);
  }
}

function render(state) {
  for (const data of state.panes) {
    const pane = paneFor(data);
    pane.root.querySelector(".pane-title").textContent = data.title;
    pane.root.querySelector(".pane-subtitle").textContent = data.subtitle;
    const notice = pane.root.querySelector(".notice");
    notice.textContent = data.notice || "";
    notice.hidden = !data.notice;
    const fingerprint = JSON.stringify([data.messages, data.keyboard]);
    if (fingerprint === pane.rendered) continue;
    pane.rendered = fingerprint;
    const list = pane.messages;
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
    list.replaceChildren(...data.messages.map((m) => messageItem(pane, m)));
    renderReplyKeyboard(pane, data.keyboard);
    if (atBottom || !list.dataset.seen) {
      list.scrollTop = list.scrollHeight;
      // Charts arrive after the text around them: stay at the bottom once they have loaded.
      for (const img of list.querySelectorAll("img")) {
        img.addEventListener("load", () => { list.scrollTop = list.scrollHeight; }, {once: true});
      }
    }
    list.dataset.seen = "1";
  }
}

// Spoilers: click (or Enter) to reveal, as in Telegram.
document.addEventListener("click", (event) => {
  const spoiler = event.target.closest(".spoiler");
  if (spoiler) spoiler.classList.add("revealed");
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && event.target.classList && event.target.classList.contains("spoiler")) {
    event.target.classList.add("revealed");
  }
});

async function poll() {
  const status = document.getElementById("connection");
  for (;;) {
    try {
      const response = await fetch(`/api/state?since=${version}`, {cache: "no-store"});
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const state = await response.json();
      status.hidden = true;
      version = state.version;
      render(state);
    } catch (err) {
      status.textContent = "Lost touch with the demo. Is `trustline demo` still running? Retrying…";
      status.hidden = false;
      await new Promise((resolve) => setTimeout(resolve, 1500));
    }
  }
}

poll();
