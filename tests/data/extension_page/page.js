var clicks = 0, paragraphClicks = 0;
document.getElementById("count").addEventListener("click", function () { this.textContent = String(++clicks); });
document.getElementById("p1").addEventListener("click", function () { paragraphClicks++; window.paragraphClicks = paragraphClicks; });
document.getElementById("more").addEventListener("click", function () {
  var p = document.createElement("p"); p.id = "late"; p.textContent = "后来加载：网络主权。";
  document.getElementById("feed").appendChild(p);
});
