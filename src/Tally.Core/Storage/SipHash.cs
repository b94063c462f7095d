using System.Buffers.Binary;
using System.Numerics;

namespace Tally.Core.Storage;

/// <summary>
/// SipHash-2-4 (Aumasson and Bernstein), a keyed hash built so that without the key nobody can make two inputs
/// collide. Written by hand because no library available here offers it (the framework's randomized string hash is
/// internal and 32-bit). Its 128-bit output mode gives the deduplication fingerprints; the 64-bit mode exists so
/// the published test vectors check this code.
/// </summary>
public static class SipHash
{
    public static UInt128 Hash128(ReadOnlySpan<byte> data, ulong k0, ulong k1)
    {
        var s = Absorb(data, k0, k1, wide: true);
        s.V2 ^= 0xee;
        s.Rounds(4);
        var low = s.V0 ^ s.V1 ^ s.V2 ^ s.V3;
        s.V1 ^= 0xdd;
        s.Rounds(4);
        var high = s.V0 ^ s.V1 ^ s.V2 ^ s.V3;
        return new UInt128(high, low);
    }

    public static ulong Hash64(ReadOnlySpan<byte> data, ulong k0, ulong k1)
    {
        var s = Absorb(data, k0, k1, wide: false);
        s.V2 ^= 0xff;
        s.Rounds(4);
        return s.V0 ^ s.V1 ^ s.V2 ^ s.V3;
    }

    private static State Absorb(ReadOnlySpan<byte> data, ulong k0, ulong k1, bool wide)
    {
        var s = new State
        {
            V0 = 0x736f6d6570736575UL ^ k0,
            V1 = 0x646f72616e646f6dUL ^ k1 ^ (wide ? 0xeeUL : 0UL),
            V2 = 0x6c7967656e657261UL ^ k0,
            V3 = 0x7465646279746573UL ^ k1,
        };
        var blocks = data.Length / 8;
        for (var i = 0; i < blocks; i++)
        {
            s.Compress(BinaryPrimitives.ReadUInt64LittleEndian(data.Slice(i * 8, 8)));
        }

        // The last block: the remaining bytes, little-endian, with the length's low byte on top.
        var last = (ulong)(byte)data.Length << 56;
        var tail = data[(blocks * 8)..];
        for (var i = 0; i < tail.Length; i++)
        {
            last |= (ulong)tail[i] << (8 * i);
        }

        s.Compress(last);
        return s;
    }

    private struct State
    {
        public ulong V0, V1, V2, V3;

        public void Compress(ulong m)
        {
            V3 ^= m;
            Rounds(2);
            V0 ^= m;
        }

        public void Rounds(int n)
        {
            for (var i = 0; i < n; i++)
            {
                V0 += V1; V1 = BitOperations.RotateLeft(V1, 13); V1 ^= V0; V0 = BitOperations.RotateLeft(V0, 32);
                V2 += V3; V3 = BitOperations.RotateLeft(V3, 16); V3 ^= V2;
                V0 += V3; V3 = BitOperations.RotateLeft(V3, 21); V3 ^= V0;
                V2 += V1; V1 = BitOperations.RotateLeft(V1, 17); V1 ^= V2; V2 = BitOperations.RotateLeft(V2, 32);
            }
        }
    }
}
