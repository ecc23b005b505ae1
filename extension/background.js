// The extension's background: the toolbar button and the per-site setting inject content.js into
// a tab, and content.js asks here for each batch of text to be annotated. Text leaves the browser
// only here, only for a tab the user asked for, and only to the server set on the options page.
"use strict";

var DEFAULTS = { server: "http://127.0.0.1:5000", sites: [] };

function settings() {
  return chrome.storage.sync.get(DEFAULTS);
}

function annotateTab(tabId) {
  return chrome.scripting.executeScript({ target: { tabId: tabId }, files: ["content.js"] });
}

async function annotateText(text) {
  var s = await settings();
  var server = s.server.replace(/\/+$/, "");
  var response = await fetch(server + "/api/v1/annotate", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ text: text, lang: "en", format: "json" }),
    credentials: "omit",
  });
  var body = await response.json().catch(function () {
    return {};
  });
  if (!response.ok) throw new Error(body.detail || "the glossary server answered " + response.status);
  return { matches: body.matches, server: server };
}

chrome.action.onClicked.addListener(function (tab) {
  annotateTab(tab.id);
});

// Sites the user chose on the options page (each granted as a host permission there) are
// annotated when a page of theirs has loaded.
chrome.tabs.onUpdated.addListener(function (tabId, change, tab) {
  if (change.status !== "complete" || !tab.url) return;
  settings().then(function (s) {
    var origin;
    try {
      origin = new URL(tab.url).origin;
    } catch (e) {
      return;
    }
    if (s.sites.indexOf(origin) >= 0) annotateTab(tabId);
  });
});

chrome.runtime.onMessage.addListener(function (message, sender, reply) {
  if (!message || message.type !== "glossary-annotate") return false;
  annotateText(message.text).then(reply, function (error) {
    reply({ error: String((error && error.message) || error) });
  });
  return true; // the reply comes later
});
