#!/usr/bin/env python3
"""Asks a running actionhost over TCP and checks the answers.

Usage: ask.py PORT LINE EXPECTED [LINE EXPECTED]...
Connects to 127.0.0.1:PORT, reads the welcome line, then for each LINE sends it and reads
one answer line, which must be a JSON object holding every field of EXPECTED (a JSON object)
with the same value. Prints each answer; exits 1, saying why, on the first that does not.
"""
import json
import socket
import sys


def main() -> int:
    if len(sys.argv) < 4 or len(sys.argv) % 2 != 0:
        print(__doc__, file=sys.stderr)
        return 2
    port = int(sys.argv[1])
    pairs = list(zip(sys.argv[2::2], sys.argv[3::2]))
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            lines = connection.makefile("r", encoding="utf-8", newline="\n")
            welcome = lines.readline()
            print(f"welcome: {welcome.strip()}")
            if "welcome" not in json.loads(welcome):
                print(f"FAIL: the first line is not the welcome line: {welcome!r}")
                return 1
            for line, expected_text in pairs:
                connection.sendall(line.encode() + b"\n")
                answer_text = lines.readline()
                print(f"> {line}\n< {answer_text.strip()}")
                if not answer_text:
                    print(f"FAIL: the connection closed before an answer to {line!r}")
                    return 1
                answer = json.loads(answer_text)
                expected = json.loads(expected_text)
                wrong = {k: v for k, v in expected.items() if answer.get(k) != v}
                if wrong:
                    print(f"FAIL: the answer to {line!r} should hold {json.dumps(wrong)}")
                    return 1
    except (OSError, ValueError) as error:
        print(f"FAIL: talking to 127.0.0.1:{port}: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
