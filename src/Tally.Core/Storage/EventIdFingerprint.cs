using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Tally.Core.Storage;

/// <summary>
/// The 128-bit fingerprint of an event id that the SQLite store's in-memory deduplication set holds instead of the id
/// itself. In Core so the collector can compute it on the request's thread (<see cref="WriteBatch.Fingerprints"/>):
/// the store's one writer is the collector's serial step, and hashing there was ~6% of its time.
/// SipHash-2-4 with 128-bit output under a random key drawn when the process starts: ids come from clients, and a
/// crafted collision would make one event silently drop another, so a plain fast hash will not do; without the key
/// no collision can be crafted. The set is rebuilt from the table at every open, so the key never needs to be kept.
/// The key is one per process: a fingerprint is only ever compared with others made by the same process.
/// (SHA-256 did the same job before at ~5% of the collector's CPU, most of it the call into OpenSSL per id.)
/// Two distinct ids share a fingerprint with probability ~n²/2¹²⁹, about 10⁻¹⁹ for ten billion ids. Never zero,
/// because zero marks an empty slot.
/// </summary>
public static class EventIdFingerprint
{
    private const int StackLimit = 256;
    private static readonly ulong Key0 = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private static readonly ulong Key1 = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));

    public static UInt128 Of(string eventId)
    {
        var max = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(eventId, buffer);
            return Of(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The fingerprint of an id given as its UTF-8 bytes (as SQLite holds it): the same as <see cref="Of(string)"/> of the decoded id.</summary>
    public static UInt128 Of(ReadOnlySpan<byte> utf8)
    {
        var value = SipHash.Hash128(utf8, Key0, Key1);
        return value == UInt128.Zero ? UInt128.One : value;
    }
}
