#!/usr/bin/python3
"""Holds DICOM associations open without using them, as a greedy or broken peer would.

usage: association_hog.py CALLING CALLED PORT HOLD
Opens HOLD associations (C-ECHO context) from 127.0.0.1 and keeps them idle, then tries one more
from 127.0.0.1 and one from 127.0.0.2 (another host on the loopback network), and prints one
line per attempt: "held N", "same-host: accepted|refused", "other-host: accepted|refused".
"""
import socket
import struct
import sys
import time

import raw_storescu as dul

VERIFICATION = b"1.2.840.10008.1.1"
IMPLICIT_LE = b"1.2.840.10008.1.2"


def associate(calling, called, port, source):
    context = dul.item(0x20, struct.pack(">BBBB", 1, 0, 0, 0) + dul.item(0x30, VERIFICATION) + dul.item(0x40, IMPLICIT_LE))
    user = dul.item(0x50, dul.item(0x51, struct.pack(">I", dul.MAX_PDU)))
    request = struct.pack(">HH", 1, 0) + called.ljust(16) + calling.ljust(16) + b"\0" * 32
    request += dul.item(0x10, dul.APPLICATION_CONTEXT) + context + user
    sock = socket.create_connection(("127.0.0.1", port), timeout=10, source_address=(source, 0))
    try:
        sock.sendall(dul.pdu(0x01, request))
        kind, _ = dul.receive_pdu(sock)
    except (ConnectionError, OSError):
        sock.close()
        return None
    if kind != 0x02:
        sock.close()
        return None
    return sock


def main():
    calling, called, port, hold = sys.argv[1].encode(), sys.argv[2].encode(), int(sys.argv[3]), int(sys.argv[4])
    held = [s for s in (associate(calling, called, port, "127.0.0.1") for _ in range(hold)) if s]
    print("held %d" % len(held), flush=True)
    extra = associate(calling, called, port, "127.0.0.1")
    print("same-host: " + ("accepted" if extra else "refused"), flush=True)
    other = associate(calling, called, port, "127.0.0.2")
    print("other-host: " + ("accepted" if other else "refused"), flush=True)
    time.sleep(0.2)
    for sock in held + [s for s in (extra, other) if s]:
        sock.close()


if __name__ == "__main__":
    main()
