// perfbot web demo: the person picker, the conversation (text, charts, buttons, forms, cards), each
// person's notifications polled from their inbox, and the demo clock. Everything shown is built with
// DOM APIs and textContent: no text from people, questions or data is ever parsed as HTML.
(() => {
  "use strict";

  const POLL_MS = 2000;
  const NARROW = "(max-width: 40rem)";  // as app.css: phones get the narrow drawing of long rankings
  const SHEET = "(max-width: 52rem)";   // as app.css: the controls open as a sheet over the conversation
  const $ = (id) => document.getElementById(id);
  const state = {
    people: new Map(), chats: new Map(), current: null, clockDate: null, pollTimer: null, polling: false, pollAgain: false,
  };

  /** An element with properties (text, className, on<event>, attributes) and children. */
  function h(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children)) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function randomId() {
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  let uniqueCounter = 0;
  const uniqueId = (stem) => `${stem}-${++uniqueCounter}`;

  async function api(method, path, body) {
    const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (_) {
      data = null;
    }
    if (!response.ok) throw new Error((data && data.error) || `The server answered ${response.status}.`);
    return data;
  }

  // --- Markdown-light, already parsed by the server into paragraphs, lists and runs -------------
  function runs(list) {
    return list.map((run) => {
      if (run.style === "strong") return h("strong", { text: run.text });
      if (run.style === "em") return h("em", { text: run.text });
      return document.createTextNode(run.text);
    });
  }

  function blocks(list) {
    return list.map((block) => {
      if (block.ul) return h("ul", {}, block.ul.map((item) => h("li", {}, runs(item))));
      if (block.ol) return h("ol", { start: block.start }, block.ol.map((item) => h("li", {}, runs(item))));
      return h("p", {}, runs(block.p));
    });
  }

  // --- replies -----------------------------------------------------------------------------------
  /** Buttons that send their value; a question's (oneShot) are all disabled by a click, a card's only the one clicked. */
  function buttons(choices, chat, label, oneShot) {
    const group = h("div", { className: "choices__buttons", role: "group", "aria-label": label });
    for (const choice of choices) {
      const button = h("button", {
        className: "button button--choice", type: "button", text: choice.label,
        onclick: () => {
          for (const other of oneShot ? group.querySelectorAll("button") : [button]) other.disabled = true;
          button.classList.add("button--chosen");
          send(chat, { action: { choice: choice.value } }, choice.label);
        },
      });
      group.append(button);
    }
    return group;
  }

  /** One form field: a select (choosing an option fills in the fields it names) or a text input, its hint and error. */
  function formField(field, inputs) {
    const id = uniqueId(`field-${field.name}`);
    const hintId = field.hint ? `${id}-hint` : null;
    const errorId = field.error ? `${id}-error` : null;
    const common = {
      id, name: field.name, "aria-describedby": [hintId, errorId].filter(Boolean).join(" ") || null,
      "aria-invalid": field.error ? "true" : null, "aria-required": field.required ? "true" : null,
    };
    let input;
    if (field.options.length) {
      input = h("select", { className: "select", ...common },
        field.options.map((option) => h("option", { value: option.value, text: option.label })));
      input.addEventListener("change", () => {
        const chosen = field.options.find((option) => option.value === input.value);
        for (const [name, value] of Object.entries(chosen ? chosen.fills : {})) {
          const filled = inputs.find(([other]) => other.name === name);
          if (filled) filled[1].value = value;
        }
      });
    } else {
      input = h("input", { className: "input", type: "text", ...common });
    }
    input.value = field.value;
    inputs.push([field, input]);
    return h("div", { className: "field" }, [
      h("label", { className: "label", for: id, text: field.label }),
      hintId ? h("p", { className: "hint", id: hintId, text: field.hint }) : null,
      errorId ? h("p", { className: "error", id: errorId, text: field.error }) : null,
      input,
    ]);
  }

  /** A form; when the bot sends it back with errors it is drawn again in place, still usable, each error under its field. */
  function form(reply, chat) {
    const node = h("form", { className: "reply-form", novalidate: true });
    let inputs = [];
    let fieldset = null;
    const draw = (spec) => {
      inputs = [];
      fieldset = h("fieldset", { className: "reply-form__fieldset" }, h("legend", { text: spec.title }));
      for (const field of spec.fields) fieldset.append(formField(field, inputs));
      fieldset.append(h("button", { className: "button", type: "submit", text: spec.submit_label }));
      node.replaceChildren(fieldset);
    };
    const keptOpen = (replies) => {
      const again = replies.find((item) => item.kind === "form" && item.form_id === reply.form_id
        && item.fields.some((field) => field.error));
      if (!again) {
        for (const shown of node.querySelectorAll(".error")) shown.remove();
        for (const [, input] of inputs) input.removeAttribute("aria-invalid");
        return false;
      }
      draw(again);
      inputs.find(([field]) => field.error)[1].focus();
      return true;
    };
    draw(reply);
    node.addEventListener("submit", (event) => {
      event.preventDefault();
      if (fieldset.disabled) return;
      const values = {};
      for (const [field, input] of inputs) values[field.name] = input.value.trim();
      fieldset.disabled = true;
      const summary = inputs.filter(([field]) => values[field.name])
        .map(([field, input]) => `${field.label}: ${field.options.length ? input.selectedOptions[0].text : values[field.name]}`)
        .join(" · ");
      send(chat, { action: { form: reply.form_id, values } }, `${reply.title} — ${summary}`, keptOpen);
    });
    return node;
  }

  function reply(item, chat) {
    switch (item.kind) {
      case "text":
        return h("div", { className: "reply-text" }, blocks(item.blocks));
      case "chart": {
        // A chart with a narrow screen's drawing (a long ranking) shows that one on narrow screens.
        const image = h("img", { src: item.src, alt: item.alt, className: "chart__image" });
        image.addEventListener("load", () => image.scrollIntoView({ block: "end" }), { once: true });
        const shown = item.narrow_src
          ? h("picture", {}, [h("source", { media: NARROW, srcset: item.narrow_src }), image]) : image;
        return h("figure", { className: "chart", "aria-label": item.title }, shown);
      }
      case "choices":
        return h("div", { className: "choices" }, [
          h("p", { className: "choices__prompt", text: item.prompt }), buttons(item.choices, chat, item.prompt, true),
        ]);
      case "form":
        return form(item, chat);
      case "file":
        return h("p", { className: "file" }, h("a", {
          href: item.src, download: item.name, className: "file__link", title: item.description,
          text: `Download ${item.title} (${item.name}, ${Math.max(1, Math.round(item.bytes / 1024))} KB)`,
        }));
      case "card":
        return h("section", { className: "card" }, [
          h("h3", { className: "card__title", text: item.title }), ...blocks(item.blocks),
          item.actions.length ? buttons(item.actions, chat, item.title, false) : null,
        ]);
      default:
        return h("p", { className: "error", text: `This reply (${item.kind}) cannot be shown here.` });
    }
  }

  // --- the conversation ----------------------------------------------------------------------------
  function append(chat, node) {
    chat.log.append(node);
    node.scrollIntoView({ block: "end" });
    return node;
  }

  function say(chat, text) {
    return append(chat, h("div", { className: "message message--mine" }, [
      h("span", { className: "visually-hidden", text: "You said: " }), h("p", { text }),
    ]));
  }

  function answer(chat, replies, heading) {
    const body = heading
      ? h("div", { className: "message message--notification" }, [
        h("p", { className: "message__heading" }, [
          h("span", { className: "message__badge", text: heading.kind }), ` ${heading.at}`,
        ]),
      ])
      : h("div", { className: "message message--bot" }, h("span", { className: "visually-hidden", text: "perfbot: " }));
    for (const item of replies) body.append(reply(item, chat));
    return append(chat, body);
  }

  function note(chat, text, className = "note") {
    return append(chat, h("p", { className, text }));
  }

  function messageId() {
    // A fresh id for each message, so a form or button posted twice (a double click, a retry) is answered once.
    return crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2);
  }

  /** Say `shown`, send `payload` and show the answer, unless `keptOpen(replies)` dealt with it (a form sent back with errors). */
  async function send(chat, payload, shown, keptOpen) {
    const mine = say(chat, shown);
    const thinking = note(chat, "perfbot is thinking…", "note note--thinking");
    busy(true);
    try {
      const data = await api("POST", "/api/messages", { as: chat.email, conversation: chat.conversation, id: messageId(), ...payload });
      thinking.remove();
      showClock(data.clock);
      busy(false);
      if (keptOpen && keptOpen(data.replies)) {
        mine.remove();
        return;
      }
      const shownAnswer = answer(chat, data.replies);
      (shownAnswer.querySelector("form input, form select") || $("compose-text")).focus();
    } catch (error) {
      thinking.remove();
      note(chat, error.message, "error");
      busy(false);
      $("compose-text").focus();
    }
  }

  /** Send an attached file (a return's spreadsheet) as base64; one larger than the core takes is sent by
   *  name and size only, and the core refuses it saying the limit — nothing is read whole. */
  function attach(chat, file) {
    const shown = `📎 ${file.name} (${Math.max(1, Math.round(file.size / 1024)).toLocaleString()} KB)`;
    if (file.size > Number($("compose-file").dataset.maxBytes)) {
      send(chat, { file: { name: file.name, size: file.size } }, shown);
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      const content = String(reader.result).split(",", 2)[1] || "";
      send(chat, { file: { name: file.name, size: file.size, content } }, shown);
    };
    reader.onerror = () => note(chat, `${file.name} could not be read from your computer.`, "error");
    reader.readAsDataURL(file);
  }

  function busy(on) {
    $("compose-file").disabled = on;
    $("compose-attach").setAttribute("aria-disabled", on ? "true" : "false");
    $("compose-send").disabled = on;
    $("compose-text").setAttribute("aria-busy", on ? "true" : "false");
  }

  // --- people ---------------------------------------------------------------------------------------
  function chatFor(email) {
    let chat = state.chats.get(email);
    if (!chat) {
      const person = state.people.get(email);
      const log = h("div", {
        className: "log", role: "log", "aria-live": "polite", "aria-label": `Conversation as ${person.name}`,
      });
      chat = { email, conversation: randomId(), log, after: 0 };
      state.chats.set(email, chat);
      $("conversations").append(log);
      note(chat, `You are talking as ${person.name} (${person.role}). Ask a question below or try an example.`);
      append(chat, h("ul", { className: "starter", "aria-label": "Examples to try" },
        examples(person).map((button) => h("li", {}, button))));
    }
    return chat;
  }

  /** A button for each of the person's example questions: clicking one asks it. */
  function examples(person) {
    return person.examples.map((text) => h("button", {
      className: "link-button", type: "button", text: `“${text}”`,
      onclick: () => {
        closeControls();
        if (!$("compose-send").disabled) send(state.current, { text }, text);
      },
    }));
  }

  function choose(email) {
    const person = state.people.get(email);
    if (!person) return;
    state.current = chatFor(email);
    for (const chat of state.chats.values()) chat.log.hidden = chat !== state.current;
    $("conversations").scrollTop = $("conversations").scrollHeight;
    $("person").value = email;
    $("person-role").textContent = person.role;
    $("phone-who").textContent = `${person.name} — ${person.short}`;
    $("examples").replaceChildren(...examples(person).map((button) => h("li", {}, button)));
    history.replaceState(null, "", `#as=${encodeURIComponent(email)}`);
    poll();
  }

  function fillPicker(groups) {
    const select = $("person");
    select.replaceChildren();
    for (const group of groups) {
      const optgroup = h("optgroup", { label: group.group });
      for (const person of group.people) {
        state.people.set(person.email, person);
        optgroup.append(h("option", { value: person.email, text: `${person.name} — ${person.short}` }));
      }
      select.append(optgroup);
    }
    select.disabled = false;
    $("compose-text").disabled = false;
    $("compose-send").disabled = false;
    $("compose-file").disabled = false;
  }

  function firstChoice(groups) {
    const wanted = new URLSearchParams(location.hash.slice(1)).get("as");
    if (wanted !== null && state.people.has(wanted)) return wanted;
    const councillor = groups.find((group) => group.group === "Ward councillors");
    return (councillor || groups[0]).people[0].email;
  }

  // --- notifications and the clock -----------------------------------------------------------------
  async function poll() {
    clearTimeout(state.pollTimer);
    if (state.polling) {
      state.pollAgain = true;
      return;
    }
    state.polling = true;
    const chat = state.current;
    if (chat) {
      try {
        const data = await api("GET", `/api/inbox?as=${encodeURIComponent(chat.email)}&after=${chat.after}`);
        for (const message of data.messages) {
          if (message.id <= chat.after) continue;
          chat.after = message.id;
          answer(chat, message.replies, { kind: message.kind, at: message.at_label });
        }
        showClock(data.clock);
        $("clock").classList.remove("masthead__clock--lost");
      } catch (_) {
        $("clock").classList.add("masthead__clock--lost");
      }
    }
    state.polling = false;
    if (state.pollAgain) {
      state.pollAgain = false;
      poll();
      return;
    }
    state.pollTimer = setTimeout(poll, POLL_MS);
  }

  function showClock(clock) {
    $("clock-label").textContent = clock.label;
    $("clock-hours").textContent = clock.working ? "working hours" : "outside working hours";
    const input = $("clock-date");
    input.min = clock.date;
    if (state.clockDate !== clock.date) {
      state.clockDate = clock.date;
      const next = new Date(`${clock.date}T12:00:00Z`);
      next.setUTCDate(next.getUTCDate() + 1);
      input.value = next.toISOString().slice(0, 10);
    }
  }

  async function moveClock(event) {
    event.preventDefault();
    const result = $("clock-result");
    const button = event.target.querySelector("button");
    button.disabled = true;
    result.replaceChildren(h("p", { text: "Moving the clock and running the scheduler…" }));
    try {
      const data = await api("POST", "/api/clock", { date: $("clock-date").value, time: $("clock-time").value });
      showClock(data.clock);
      const parts = [h("p", {}, ["The clock is now ", h("strong", { text: data.clock.label }), "."])];
      parts.push(h("p", { text: `${data.queued} new notification${data.queued === 1 ? "" : "s"} queued by the sweep.` }));
      if (data.delivered.length) {
        parts.push(h("p", { text: "Delivered just now to:" }));
        parts.push(h("ul", { className: "delivered" }, data.delivered.map((who) => h("li", {}, h("button", {
          className: "link-button", type: "button",
          text: `${who.name} (${who.count} message${who.count === 1 ? "" : "s"})`,
          onclick: () => {
            closeControls();
            choose(who.email);
          },
        })))));
      } else {
        parts.push(h("p", { text: "No messages were delivered at this moment." }));
      }
      if (data.note) parts.push(h("p", { className: "hint", text: data.note }));
      result.replaceChildren(...parts);
      result.scrollIntoView({ block: "nearest" });
      poll();
    } catch (error) {
      result.replaceChildren(h("p", { className: "error", text: error.message }));
    } finally {
      button.disabled = false;
    }
  }

  // --- the controls as a sheet on narrow screens ------------------------------------------------------
  function openControls() {
    document.body.classList.add("controls-open");
    $("controls-open").setAttribute("aria-expanded", "true");
    $("person").focus();
  }

  /** Close the controls' sheet (on narrow screens), back to the conversation. */
  function closeControls() {
    if (!document.body.classList.contains("controls-open")) return;
    document.body.classList.remove("controls-open");
    $("controls-open").setAttribute("aria-expanded", "false");
    if (matchMedia(SHEET).matches) $("compose-text").focus();
  }

  // --- start ------------------------------------------------------------------------------------------
  async function start() {
    $("compose").addEventListener("submit", (event) => {
      event.preventDefault();
      const input = $("compose-text");
      const text = input.value.trim();
      if (!text || !state.current || $("compose-send").disabled) return;
      input.value = "";
      send(state.current, { text }, text);
    });
    $("compose-file").addEventListener("change", (event) => {
      const file = event.target.files[0];
      event.target.value = "";
      if (file && state.current && !$("compose-send").disabled) attach(state.current, file);
    });
    $("person").addEventListener("change", (event) => {
      choose(event.target.value);
      closeControls();
    });
    $("controls-open").addEventListener("click", openControls);
    $("controls-close").addEventListener("click", closeControls);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape") closeControls();
    });
    document.querySelector(".skip-link").addEventListener("click", (event) => {
      event.preventDefault();
      $("compose-text").focus();
    });
    $("clock-form").addEventListener("submit", moveClock);
    try {
      const data = await api("GET", "/api/people");
      if (data.council) $("council-name").textContent = data.council;
      fillPicker(data.groups);
      showClock(data.clock);
      choose(firstChoice(data.groups));
    } catch (error) {
      $("conversations").append(h("p", { className: "error", text: `The demo could not start: ${error.message}` }));
    }
  }

  start();
})();
