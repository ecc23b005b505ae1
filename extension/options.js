// The options page: the glossary server, and the sites annotated without a click (each needs the
// user's grant of a host permission, asked for when it is added and given back when removed).
"use strict";

// The host permission a site needs. Firefox's match patterns have no port (one with a port is
// accepted but matches nothing), Chromium's without one match every port: so the grant is for
// the site's scheme and host, and the site list keeps the exact origin.
function hostPattern(origin) {
  var url = new URL(origin);
  return url.protocol + "//" + url.hostname + "/*";
}

var DEFAULTS = { server: "http://127.0.0.1:5000", sites: [] };
var server = document.getElementById("server");
var list = document.getElementById("sites");

function showSites(sites) {
  list.textContent = "";
  sites.forEach(function (site) {
    var item = document.createElement("li");
    item.textContent = site + " ";
    var remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", "Stop annotating " + site);
    remove.addEventListener("click", function () {
      chrome.storage.sync.get(DEFAULTS).then(function (s) {
        var kept = s.sites.filter(function (x) {
          return x !== site;
        });
        var shared = kept.some(function (x) {
          return hostPattern(x) === hostPattern(site); // another port of the same host keeps the grant
        });
        if (!shared) chrome.permissions.remove({ origins: [hostPattern(site)] });
        chrome.storage.sync.set({ sites: kept }).then(function () {
          showSites(kept);
        });
      });
    });
    item.appendChild(remove);
    list.appendChild(item);
  });
}

chrome.storage.sync.get(DEFAULTS).then(function (s) {
  server.value = s.server;
  showSites(s.sites);
});

document.getElementById("server-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var status = document.getElementById("server-status");
  var url;
  try {
    url = new URL(server.value);
  } catch (e) {
    status.textContent = "That is not a web address.";
    return;
  }
  var value = url.origin + url.pathname.replace(/\/+$/, "");
  chrome.storage.sync.set({ server: value }).then(function () {
    server.value = value;
    status.textContent = "Saved: pages will be annotated by " + value + ".";
  });
});

document.getElementById("site-form").addEventListener("submit", function (event) {
  event.preventDefault();
  var status = document.getElementById("site-status");
  var url;
  try {
    url = new URL(document.getElementById("site").value);
  } catch (e) {
    status.textContent = "That is not a web address.";
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    status.textContent = "Only http and https sites can be annotated.";
    return;
  }
  var origin = url.origin;
  chrome.permissions.request({ origins: [hostPattern(origin)] }).then(function (granted) {
    if (!granted) {
      status.textContent = "Not added: the browser was not allowed to run the annotator on " + origin + ".";
      return;
    }
    chrome.storage.sync.get(DEFAULTS).then(function (s) {
      var sites = s.sites.indexOf(origin) >= 0 ? s.sites : s.sites.concat([origin]);
      chrome.storage.sync.set({ sites: sites }).then(function () {
        showSites(sites);
        status.textContent = "Added: pages of " + origin + " will be annotated when they load.";
      });
    });
  });
});
