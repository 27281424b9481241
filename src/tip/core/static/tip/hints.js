// Hints on the wording of free-text fields as the person types. The `field` tag marks each text
// area it draws on a signed-in page with data-tip-language-check (the live check's address) and
// draws an empty, polite live region after it. After a pause in typing, the text is sent to the
// check and the region shows the hints; no hints leave it empty. Errors are silent: the form
// works the same without hints, and the page after a save shows them anyway.
// Loaded as a module from our own origin (the Content-Security-Policy forbids inline scripts);
// the region's data attributes carry its words in the page's language.

const PAUSE_MS = 700;

function csrfToken(textarea) {
  const scope = textarea.form || document;
  const input = scope.querySelector("input[name='csrfmiddlewaretoken']");
  return input ? input.value : "";
}

function paragraph(className, ...parts) {
  const p = document.createElement("p");
  p.className = className;
  p.append(...parts);
  return p;
}

function quoted(text) {
  return `\u201c${text}\u201d`;
}

// The same markup as core/includes/text_hints_list.html.
function box(region, findings) {
  const words = region.dataset;
  const container = document.createElement("div");
  container.className = "govuk-inset-text tip-text-hints__box";
  container.append(
    paragraph(
      "govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1",
      words.tipHintsTitle || "",
    ),
    paragraph("govuk-body", words.tipHintsNote || ""),
  );
  const list = document.createElement("ul");
  list.className = "govuk-list tip-text-hints__list";
  for (const finding of findings) {
    const item = document.createElement("li");
    item.className = "tip-text-hints__item";
    const matched = document.createElement("strong");
    matched.textContent = quoted(finding.text);
    item.append(
      paragraph("govuk-body govuk-!-margin-bottom-1", matched, `: ${finding.explanation || ""}`),
    );
    const suggestions = Array.isArray(finding.suggestions) ? finding.suggestions.slice(0, 3) : [];
    if (suggestions.length) {
      const joined = suggestions.map(quoted).join(` ${words.tipHintsOr || "or"} `);
      item.append(
        paragraph("govuk-body govuk-!-margin-bottom-0", `${words.tipHintsCould || ""}: ${joined}`),
      );
    }
    list.append(item);
  }
  container.append(list);
  return container;
}

function watch(textarea) {
  const region = document.getElementById(`${textarea.id}-language-hints`);
  const url = textarea.dataset.tipLanguageCheck;
  if (!region || !url) {
    return;
  }
  let timer = 0;
  let controller = null;
  let lastText = null;
  let shownKey = null;

  function show(findings) {
    const key = JSON.stringify(findings.map((f) => [f.rule, f.start, f.end]));
    if (key === shownKey) {
      return; // the same hints: leave them, so a screen reader does not hear them again
    }
    shownKey = key;
    if (findings.length) {
      region.replaceChildren(box(region, findings));
    } else {
      region.replaceChildren();
    }
  }

  async function check() {
    const text = textarea.value;
    if (text === lastText) {
      return;
    }
    lastText = text;
    if (controller) {
      controller.abort();
    }
    if (!text.trim()) {
      show([]);
      return;
    }
    controller = new AbortController();
    const token = csrfToken(textarea);
    try {
      const response = await fetch(url, {
        method: "POST",
        body: new URLSearchParams({ text, csrfmiddlewaretoken: token }),
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
        signal: controller.signal,
      });
      if (!response.ok) {
        return;
      }
      const answer = await response.json();
      if (textarea.value !== text) {
        return; // the person has typed on; the next check answers for that
      }
      const findings = Array.isArray(answer.findings) ? answer.findings : [];
      show(findings.filter((f) => f && !f.quoted && typeof f.text === "string"));
    } catch {
      // Silent: hints are a help, never a hurdle.
    }
  }

  textarea.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, PAUSE_MS);
  });
}

for (const textarea of document.querySelectorAll("textarea[data-tip-language-check]")) {
  watch(textarea);
}
