"""Run REDbot on one URL with the given request headers and print its notes as JSON.

Used by tests/e2e/http/validators.rs: `python redbot_check.py URL ['Name: value' ...]`
prints `[{"id": ..., "level": ..., "summary": ...}, ...]` for the request and the
subrequests REDbot makes (conditional, ranged, HEAD, ...).
"""

import json
import sys
from configparser import ConfigParser

import thor
from redbot.formatter import find_formatter
from redbot.resource import HttpResource


def main() -> None:
    url = sys.argv[1]
    headers = [tuple(h.split(": ", 1)) for h in sys.argv[2:]]
    parser = ConfigParser()
    parser.read_dict({"redbot": {"enable_local_access": "True"}})
    config = parser["redbot"]
    resource = HttpResource(config, descend=False)
    resource.set_request(url, headers=headers)
    out = []
    formatter = find_formatter("har", "har", False)(
        config, resource, out.append, {"tty_out": False, "descend": False}
    )
    formatter.bind_resource(resource)

    @thor.events.on(formatter)
    def formatter_done() -> None:
        thor.stop()

    resource.check()
    thor.run()
    har = json.loads("".join(out))
    notes = []
    for entry in har["log"]["entries"]:
        for m in entry.get("_red_messages", []):
            notes.append({"id": m["note_id"], "level": m["level"], "summary": m["summary"]})
    json.dump(notes, sys.stdout)


if __name__ == "__main__":
    main()
