#!/usr/bin/env python3
"""Turn a tcpdump pcap (Ethernet or Linux cooked) into the hex vector format used by
crates/vrrp/tests/golden.rs: comment lines start with '#', each other line is
'<seconds since first packet> <hex of the IP packet>' (link header and any Ethernet
padding removed; the IP packet is cut at its own length field). Called by scripts/capture-vectors."""
import struct
import sys


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    else:
        e = ">"
    _, _, _, _, _, linktype = struct.unpack(e + "HHiIII", data[4:24])
    off = 24
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(e + "IIII", data[off:off + 16])
        off += 16
        frame = data[off:off + incl]
        off += incl
        if linktype == 1:  # Ethernet
            ethertype = struct.unpack(">H", frame[12:14])[0]
            ip = frame[14:]
        elif linktype == 113:  # Linux cooked (SLL)
            ethertype = struct.unpack(">H", frame[14:16])[0]
            ip = frame[16:]
        else:
            raise SystemExit(f"unsupported link type {linktype}")
        if ethertype == 0x0800:
            ip = ip[: struct.unpack(">H", ip[2:4])[0]]
        elif ethertype == 0x86DD:
            ip = ip[: 40 + struct.unpack(">H", ip[4:6])[0]]
        else:
            continue
        yield sec + frac / 1e6, ip


def main():
    path, name, note = sys.argv[1], sys.argv[2], sys.argv[3]
    print(f"# {name}: captured by scripts/capture-vectors; {note}")
    print("# <seconds since first packet> <IP packet in hex>")
    t0 = None
    for ts, ip in packets(path):
        if t0 is None:
            t0 = ts
        print(f"{ts - t0:.6f} {ip.hex()}")


main()
