package keel.runtime.linux.internal.cgroups.v2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import keel.engine.api.oci.Linux;

/**
 * cgroup v2 has no devices controller: device access is decided by a BPF_PROG_TYPE_CGROUP_DEVICE program attached
 * to the cgroup. This class computes what the v1 controller would have ended up with after the rules were written
 * one by one (a default, allow or deny, and the exceptions to it: the "emulator" runc also has) and assembles
 * the eBPF program answering the same.
 *
 * <p>The program reads struct bpf_cgroup_dev_ctx (access_type: type in the low 16 bits, access in the high 16;
 * major; minor), compares it with each exception and returns 1 (allow) or 0 (deny).
 */
public final class DeviceFilter {

    /** One v1-style exception: type 'a', 'b' or 'c', -1 for a wildcard number, access bits (m=1, r=2, w=4). */
    record Exception(char type, long major, long minor, int access) {}

    /** The outcome of writing the rules in order: the default and its exceptions. */
    record Policy(boolean defaultAllow, List<Exception> exceptions) {}

    private static final int BPF_DEVCG_ACC_MKNOD = 1, BPF_DEVCG_ACC_READ = 2, BPF_DEVCG_ACC_WRITE = 4;
    private static final int BPF_DEVCG_DEV_BLOCK = 1, BPF_DEVCG_DEV_CHAR = 2;

    // eBPF opcodes
    private static final int LDX_MEM_W = 0x61, ALU64_AND_K = 0x57, ALU64_RSH_K = 0x77, ALU64_MOV_K = 0xb7,
            ALU64_MOV_X = 0xbf, JMP_JEQ_K = 0x15, JMP_JNE_K = 0x55, JMP_EXIT = 0x95;

    private DeviceFilter() {}

    /** The v1 semantics of writing {@code rules} in order to devices.allow / devices.deny of a new cgroup. */
    static Policy emulate(List<Linux.DeviceRule> rules) {
        boolean defaultAllow = true; // a new cgroup below an unrestricted parent allows everything
        List<Exception> exceptions = new ArrayList<>();
        for (Linux.DeviceRule r : rules) {
            char type = r.type() == null || r.type().isEmpty() ? 'a' : r.type().charAt(0);
            int access = access(r.access());
            if (type == 'a') {
                defaultAllow = r.allow();
                exceptions.clear();
                continue;
            }
            Exception e = new Exception(type, number(r.major()), number(r.minor()), access);
            if (r.allow() == defaultAllow) {
                // Same verdict as the default: remove these accesses from a matching exception (the kernel's
                // dev_exception_rm, which only matches the same type and numbers).
                List<Exception> next = new ArrayList<>();
                for (Exception x : exceptions) {
                    if (x.type() == e.type() && x.major() == e.major() && x.minor() == e.minor()) {
                        int left = x.access() & ~e.access();
                        if (left != 0) {
                            next.add(new Exception(x.type(), x.major(), x.minor(), left));
                        }
                    } else {
                        next.add(x);
                    }
                }
                exceptions = next;
            } else {
                exceptions.add(e);
            }
        }
        return new Policy(defaultAllow, List.copyOf(exceptions));
    }

    /** The program's instructions, 8 bytes each, native byte order. */
    public static byte[] program(List<Linux.DeviceRule> rules) {
        Policy p = emulate(rules);
        List<long[]> insns = new ArrayList<>();
        // r2 = ctx->access_type; r3 = type; r4 = access; r5 = major; r6 = minor
        insns.add(insn(LDX_MEM_W, 2, 1, 0, 0));
        insns.add(insn(ALU64_MOV_X, 3, 2, 0, 0));
        insns.add(insn(ALU64_AND_K, 3, 0, 0, 0xffff));
        insns.add(insn(ALU64_MOV_X, 4, 2, 0, 0));
        insns.add(insn(ALU64_RSH_K, 4, 0, 0, 16));
        insns.add(insn(LDX_MEM_W, 5, 1, 4, 0));
        insns.add(insn(LDX_MEM_W, 6, 1, 8, 0));
        int verdict = p.defaultAllow() ? 0 : 1; // what a matching exception answers
        for (Exception e : p.exceptions()) {
            List<long[]> block = new ArrayList<>();
            List<Integer> jumps = new ArrayList<>(); // indexes (in block) of "go to next block" jumps
            if (e.type() != 'a') {
                jumps.add(block.size());
                block.add(insn(JMP_JNE_K, 3, 0, 0, e.type() == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR));
            }
            block.add(insn(ALU64_MOV_X, 7, 4, 0, 0));
            if (verdict == 1) {
                // an allowing exception covers the request only if it grants every access asked for
                block.add(insn(ALU64_AND_K, 7, 0, 0, ~e.access()));
                jumps.add(block.size());
                block.add(insn(JMP_JNE_K, 7, 0, 0, 0));
            } else {
                // a denying exception applies as soon as one of its accesses is asked for
                block.add(insn(ALU64_AND_K, 7, 0, 0, e.access()));
                jumps.add(block.size());
                block.add(insn(JMP_JEQ_K, 7, 0, 0, 0));
            }
            if (e.major() >= 0) {
                jumps.add(block.size());
                block.add(insn(JMP_JNE_K, 5, 0, 0, (int) e.major()));
            }
            if (e.minor() >= 0) {
                jumps.add(block.size());
                block.add(insn(JMP_JNE_K, 6, 0, 0, (int) e.minor()));
            }
            block.add(insn(ALU64_MOV_K, 0, 0, 0, verdict));
            block.add(insn(JMP_EXIT, 0, 0, 0, 0));
            for (int j : jumps) {
                block.get(j)[3] = block.size() - j - 1; // to the first instruction after this block
            }
            insns.addAll(block);
        }
        insns.add(insn(ALU64_MOV_K, 0, 0, 0, p.defaultAllow() ? 1 : 0));
        insns.add(insn(JMP_EXIT, 0, 0, 0, 0));
        ByteBuffer b = ByteBuffer.allocate(insns.size() * 8).order(ByteOrder.nativeOrder());
        for (long[] i : insns) {
            b.put((byte) i[0]);
            b.put((byte) ((i[2] << 4) | i[1])); // dst_reg in the low nibble, src_reg in the high one
            b.putShort((short) i[3]);
            b.putInt((int) i[4]);
        }
        return b.array();
    }

    private static long[] insn(int code, int dst, int src, int off, int imm) {
        return new long[] {code, dst, src, off, imm};
    }

    private static int access(String a) {
        String s = a == null || a.isEmpty() ? "rwm" : a;
        int bits = 0;
        for (char c : s.toCharArray()) {
            bits |= switch (c) {
                case 'r' -> BPF_DEVCG_ACC_READ;
                case 'w' -> BPF_DEVCG_ACC_WRITE;
                case 'm' -> BPF_DEVCG_ACC_MKNOD;
                default -> throw new IllegalArgumentException("invalid device access " + a);
            };
        }
        return bits;
    }

    private static long number(Long n) {
        return n == null || n < 0 ? -1 : n;
    }
}
