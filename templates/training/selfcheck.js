(function () {
  "use strict";
  var items = Array.prototype.slice.call(document.querySelectorAll("[data-answer]"));
  var later = Array.prototype.slice.call(document.querySelectorAll(".after-reveal"));
  var score = document.getElementById("score");
  function hideAll() {
    items.forEach(function (item) {
      item.classList.remove("right", "wrong", "unanswered");
      item.querySelector(".mark").textContent = "";
      item.querySelector(".reasoning").hidden = true;
    });
    later.forEach(function (el) { el.hidden = true; });
    score.textContent = "";
    score.hidden = true;
  }
  function reveal() {
    var right = 0;
    items.forEach(function (item) {
      var picked = item.querySelector("input:checked");
      var ok = picked !== null && picked.value === item.getAttribute("data-answer");
      if (ok) { right += 1; }
      item.classList.remove("right", "wrong", "unanswered");
      item.classList.add(ok ? "right" : (picked ? "wrong" : "unanswered"));
      item.querySelector(".mark").textContent = ok ? "Correct." : (picked ? "Not quite." : "No answer.");
      item.querySelector(".reasoning").hidden = false;
    });
    later.forEach(function (el) { el.hidden = false; });
    score.textContent = "You got " + right + " of " + items.length + " right.";
    score.hidden = false;
  }
  function restart() {
    Array.prototype.forEach.call(document.querySelectorAll("#self-check input[type=radio]"), function (input) {
      input.checked = false;
    });
    hideAll();
  }
  document.body.classList.add("js");
  hideAll();
  document.getElementById("reveal").addEventListener("click", reveal);
  document.getElementById("reset").addEventListener("click", restart);
}());
