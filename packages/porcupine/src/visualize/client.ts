/**
 * The page's script, run in the browser. Plain ES2015 without template literals (it lives in a string).
 * It reads the embedded JSON (see `VisualData`) and draws, per partition, a timeline of operations per lane
 * and the selected partial linearization with the state after each step. Clicking an operation selects
 * the longest partial linearization that contains it.
 */
export const CLIENT_SCRIPT = String.raw`(function () {
  "use strict";
  var UNIT = 16;
  var LANE_HEIGHT = 30;
  var LABEL_WIDTH = 96;
  var data = JSON.parse(document.getElementById("porcupine-data").textContent);
  var root = document.getElementById("porcupine-root");

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function sequenceOf(partition, node) {
    var ops = [];
    var states = [];
    while (node >= 0) {
      ops.push(partition.trieOp[node]);
      states.push(partition.trieState[node]);
      node = partition.trieParent[node];
    }
    return { ops: ops.reverse(), states: states.reverse() };
  }

  var RESULT_TEXT = { ok: "linearizable", illegal: "not linearizable", unknown: "undecided" };

  var header = el("header", "summary");
  header.appendChild(el("h1", null, "Linearizability check: " + RESULT_TEXT[data.result]));
  header.appendChild(el("p", null, "Model: " + data.model + ". " + data.partitions.length +
    " partition(s). Click an operation to show the longest partial linearization that contains it; " +
    "red operations are in no partial linearization."));
  root.appendChild(header);
  if (data.partitions.length > 1) {
    var nav = el("nav", "index");
    data.partitions.forEach(function (partition, i) {
      var link = el("a", "index-link result-" + partition.result, partition.label + ": " + RESULT_TEXT[partition.result]);
      link.setAttribute("href", "#partition-" + i);
      nav.appendChild(link);
    });
    root.appendChild(nav);
  }
  if (data.partitions.length === 0) {
    root.appendChild(el("p", "empty", "No partitions: the history was empty or the check was not verbose."));
  }
  data.partitions.forEach(renderPartition);

  function renderPartition(partition, partitionIndex) {
    var section = el("section", "partition result-" + partition.result);
    section.id = "partition-" + partitionIndex;
    var title = el("h2", null, partition.label + " ");
    title.appendChild(el("span", "badge", RESULT_TEXT[partition.result]));
    title.appendChild(el("span", "count", " " + partition.operations.length + " operations"));
    section.appendChild(title);

    var scroller = el("div", "scroller");
    var timeline = el("div", "timeline");
    var positions = 2 * partition.operations.length;
    timeline.style.width = LABEL_WIDTH + positions * UNIT + UNIT + "px";
    timeline.style.height = Math.max(1, partition.lanes.length) * LANE_HEIGHT + "px";
    partition.lanes.forEach(function (lane, i) {
      var label = el("div", "lane-label", lane);
      label.style.top = i * LANE_HEIGHT + "px";
      timeline.appendChild(label);
    });
    var boxes = partition.operations.map(function (operation, i) {
      var box = el("div", "op", operation.description);
      box.style.left = LABEL_WIDTH + operation.start * UNIT + "px";
      box.style.width = Math.max(1, operation.end - operation.start) * UNIT + "px";
      box.style.top = operation.lane * LANE_HEIGHT + 3 + "px";
      box.title = operation.description + "\ncall " + operation.call + ", return " + operation.return;
      box.setAttribute("data-op", String(i));
      if (partition.longest[i] < 0) box.classList.add("unlinearized");
      box.addEventListener("click", function () {
        if (partition.longest[i] >= 0) select(partition.longest[i]);
      });
      timeline.appendChild(box);
      return box;
    });
    scroller.appendChild(timeline);
    section.appendChild(scroller);

    var details = el("div", "details");
    var chooser = el("select", "chooser");
    partition.linearizations.forEach(function (_, i) {
      var length = sequenceOf(partition, partition.linearizations[i]).ops.length;
      chooser.appendChild(el("option", null, "partial linearization " + (i + 1) + " (" + length + " of " +
        partition.operations.length + " operations)"));
    });
    chooser.addEventListener("change", function () { select(chooser.selectedIndex); });
    var initial = el("p", "initial", "initial state: " + data.states[partition.initialState]);
    var list = el("ol", "steps");
    var note = el("p", "note");
    if (partition.linearizations.length > 0) details.appendChild(chooser);
    details.appendChild(initial);
    details.appendChild(list);
    details.appendChild(note);
    section.appendChild(details);
    root.appendChild(section);

    function select(index) {
      chooser.selectedIndex = index;
      var sequence = sequenceOf(partition, partition.linearizations[index]);
      boxes.forEach(function (box) {
        box.classList.remove("in-linearization");
        box.removeAttribute("data-step");
      });
      list.textContent = "";
      sequence.ops.forEach(function (op, k) {
        var box = boxes[op];
        box.classList.add("in-linearization");
        box.setAttribute("data-step", String(k + 1));
        var item = el("li", "step");
        item.appendChild(el("span", "step-op", partition.operations[op].description));
        item.appendChild(el("span", "step-state", " \u2192 " + data.states[sequence.states[k]]));
        item.addEventListener("mouseenter", function () { box.classList.add("hover"); });
        item.addEventListener("mouseleave", function () { box.classList.remove("hover"); });
        list.appendChild(item);
      });
      var missing = partition.operations.length - sequence.ops.length;
      note.textContent = missing === 0
        ? "Every operation is linearized."
        : missing + " operation(s) could not be linearized after this prefix.";
    }

    if (partition.linearizations.length > 0) select(0);
    else note.textContent = "No partial linearization was recorded for this partition.";
  }
})();
`;
