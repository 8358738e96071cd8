// bpmn-js and dmn-js drop XML comments, but analysts cite rules in them (README "How to annotate": a comment
// inside an element speaks for it, one at the top of the file for the whole process; /workbench/rules reads
// them). Kept here: remembered on load by the id of the element they sit in, put back there on save.
window.MemberflowXmlComments = (function () {
  "use strict";

  function owner(node) {  // the nearest element with an id ("" for none: the file's root)
    for (var el = node.parentNode; el && el.nodeType === 1; el = el.parentNode) {
      if (el.getAttribute("id")) { return el.getAttribute("id"); }
    }
    return "";
  }

  function remember(xml) {
    var doc = new DOMParser().parseFromString(xml, "application/xml"), found = [];
    var walker = doc.createTreeWalker(doc.documentElement, NodeFilter.SHOW_COMMENT);
    while (walker.nextNode()) { found.push({ owner: owner(walker.currentNode), text: walker.currentNode.data }); }
    return found;
  }

  function restore(xml, comments) {
    if (!comments.length) { return xml; }
    var doc = new DOMParser().parseFromString(xml, "application/xml"), root = doc.documentElement;
    var present = {};
    remember(xml).forEach(function (c) { present[c.owner + "\n" + c.text] = true; });
    comments.slice().reverse().forEach(function (c) {  // each put first in its element: last one first
      if (present[c.owner + "\n" + c.text]) { return; }
      var el = (c.owner && doc.querySelector('[id="' + c.owner.replace(/"/g, "") + '"]')) || root;
      el.insertBefore(doc.createComment(c.text), el.firstChild);
    });
    var out = new XMLSerializer().serializeToString(doc);
    return out.indexOf("<?xml") === 0 ? out : '<?xml version="1.0" encoding="UTF-8"?>\n' + out;
  }

  return { remember: remember, restore: restore };
})();
