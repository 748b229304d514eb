#!/usr/bin/python3
"""A C-STORE SCU that sends a file's data set byte for byte, as a hostile or careless peer would.

dcmtk's storescu (and DCMTK's DIMSE_storeUser) parse the file before sending it, so a file built
to crash a parser never leaves them. This one speaks the DICOM upper layer (PS3.8) itself and
never looks inside the data set: it takes the bytes after the File Meta Information.

usage: raw_storescu.py CALLING CALLED PORT FILE
prints "status 0xNNNN" and, when the peer gave one, "comment: TEXT"; exit 0 on success (0x0000).
"""
import socket
import struct
import sys

MAX_PDU = 16384
APPLICATION_CONTEXT = b"1.2.840.10008.3.1.1.1"


def item(kind, body):
    return struct.pack(">BBH", kind, 0, len(body)) + body


def pdu(kind, body):
    return struct.pack(">BBI", kind, 0, len(body)) + body


def even(uid):
    return uid + (b"\0" if len(uid) % 2 else b"")


def element(group, number, value, fmt=None):
    data = struct.pack(fmt, value) if fmt else even(value)
    return struct.pack("<HHI", group, number, len(data)) + data


def meta_and_dataset(path):
    """The transfer syntax, SOP class and instance (from the meta header) and the raw data set."""
    data = open(path, "rb").read()
    assert data[128:132] == b"DICM", "a Part 10 file is needed"
    at, meta = 132, {}
    while at + 8 <= len(data):
        group, number = struct.unpack_from("<HH", data, at)
        if group != 2:
            break
        vr = data[at + 4:at + 6]
        if vr in (b"OB", b"OW", b"UN", b"SQ", b"UT"):
            length, header = struct.unpack_from("<I", data, at + 8)[0], 12
        else:
            length, header = struct.unpack_from("<H", data, at + 6)[0], 8
        meta[number] = data[at + header:at + header + length].rstrip(b"\0 ")
        at += header + length
    return meta[0x10], meta[0x02], meta[0x03], data[at:]


def receive_pdu(sock):
    header = b""
    while len(header) < 6:
        chunk = sock.recv(6 - len(header))
        if not chunk:
            raise ConnectionError("the peer closed the connection")
        header += chunk
    kind, length = header[0], struct.unpack(">I", header[2:6])[0]
    body = b""
    while len(body) < length:
        chunk = sock.recv(length - len(body))
        if not chunk:
            raise ConnectionError("the peer closed the connection")
        body += chunk
    return kind, body


def main():
    calling, called, port, path = sys.argv[1].encode(), sys.argv[2].encode(), int(sys.argv[3]), sys.argv[4]
    syntax, sop_class, sop_instance, dataset = meta_and_dataset(path)
    context = item(0x20, struct.pack(">BBBB", 1, 0, 0, 0) + item(0x30, sop_class) + item(0x40, syntax))
    user = item(0x50, item(0x51, struct.pack(">I", MAX_PDU)))
    request = struct.pack(">HH", 1, 0) + called.ljust(16) + calling.ljust(16) + b"\0" * 32
    request += item(0x10, APPLICATION_CONTEXT) + context + user
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.sendall(pdu(0x01, request))
    kind, body = receive_pdu(sock)
    if kind != 0x02:
        print("association not accepted (PDU type %d)" % kind)
        return 1
    fields = (element(0, 0x0002, sop_class) + element(0, 0x0100, 1, "<H") + element(0, 0x0110, 1, "<H")
              + element(0, 0x0700, 0, "<H") + element(0, 0x0800, 0, "<H") + element(0, 0x1000, sop_instance))
    command = element(0, 0x0000, len(fields), "<I") + fields
    sock.sendall(pdu(0x04, struct.pack(">IBB", len(command) + 2, 1, 0x03) + command))
    step = MAX_PDU - 6
    for start in range(0, len(dataset), step):
        last = 0x02 if start + step >= len(dataset) else 0x00
        fragment = dataset[start:start + step]
        sock.sendall(pdu(0x04, struct.pack(">IBB", len(fragment) + 2, 1, last) + fragment))
    status, comment, answer = None, "", b""
    while status is None:
        kind, body = receive_pdu(sock)
        if kind != 0x04:
            print("no response (PDU type %d)" % kind)
            return 1
        answer += body[6:]  # one PDV per PDU from DCMTK
        at = 0
        while at + 8 <= len(answer):
            group, number, length = struct.unpack_from("<HHI", answer, at)
            value = answer[at + 8:at + 8 + length]
            if (group, number) == (0, 0x0900):
                status = struct.unpack("<H", value)[0]
            if (group, number) == (0, 0x0902):
                comment = value.decode("ascii", "replace").strip()
            at += 8 + length
    sock.sendall(pdu(0x05, b"\0" * 4))
    try:
        receive_pdu(sock)
    except ConnectionError:
        pass
    print("status 0x%04X" % status)
    if comment:
        print("comment: " + comment)
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
