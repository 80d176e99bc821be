"""Prints the C++ that a `dmc view` page attaches to each node of its last step (lit view-cpp.mlir).

    view_cpp.py PAGE.html

One `node ID KIND LABEL` line per drawn node, depth first, then its C++ lines prefixed with `| `,
`(no line of its own)` for an empty snippet or `(no C++)` when the page has none; last, how many marker
lines (`// dmc-node`) the page's texts still hold.
"""
import html.parser
import json
import sys


class DataScript(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.inside = False
        self.data = ""

    def handle_starttag(self, tag, attrs):
        self.inside = tag == "script" and ("id", "dmc-data") in attrs

    def handle_endtag(self, tag):
        self.inside = False

    def handle_data(self, data):
        if self.inside:
            self.data += data


parser = DataScript()
with open(sys.argv[1], encoding="utf-8") as f:
    parser.feed(f.read())
page = json.loads(parser.data)
graph = page["graphs"][page["steps"][-1]["graph"]]


def show(node):
    print(f"node {node['id']} {node['kind']} {node.get('label', '')}")
    index = page["cpp_of_node"].get(node["id"])
    if index is None:
        print("(no C++)")
    elif not page["texts"][index]:
        print("(no line of its own)")
    else:
        for line in page["texts"][index].splitlines():
            print(f"| {line}")
    for child in node.get("children", []):
        show(child)


for state in graph["states"]:
    for node in state["nodes"]:
        show(node)
print("markers:", sum(text.count("dmc-node") for text in page["texts"]))
