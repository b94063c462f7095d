using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace Tally.Storage.Sqlite.Dedup;

/// <summary>
/// The 128-bit fingerprint of an event id that the in-memory deduplication set holds instead of the id itself.
/// SHA-256 (truncated), not a fast non-cryptographic hash: ids come from clients, and a crafted collision would make
/// one event silently drop another. Two distinct ids share a fingerprint with probability ~n²/2¹²⁹, about 10⁻¹⁹
/// for ten billion ids. Never zero, because zero marks an empty slot.
/// </summary>
internal static class EventIdHash
{
    private const int StackLimit = 256;

    public static UInt128 Of(string eventId)
    {
        var max = Encoding.UTF8.GetMaxByteCount(eventId.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            var length = Encoding.UTF8.GetBytes(eventId, buffer);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..length], digest);
            var value = new UInt128(BitConverter.ToUInt64(digest), BitConverter.ToUInt64(digest[8..]));
            return value == UInt128.Zero ? UInt128.One : value;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
