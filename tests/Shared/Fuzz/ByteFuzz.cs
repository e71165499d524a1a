using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Funnel.Fuzz.Tests;

/// <summary>
/// Hostile inputs for the readers' fuzz properties: byte sequences biased towards what a reader's syntax is made of,
/// random mutations of valid files (flip a bit, set a byte, cut a span, truncate, duplicate a span, insert a nasty
/// sequence), and a runner that tells a result or a documented exception from anything else, a hang or a runaway
/// allocation.
/// </summary>
internal static class ByteFuzz
{
    /// <summary>The longest a single read may take before it counts as a hang (generous: the machine is shared).</summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);

    /// <summary>Byte sequences that readers treat specially: BOMs, invalid and overlong UTF-8, escaped lone surrogates, line breaks.</summary>
    private static readonly byte[][] Nasty =
    [
        [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xFE, 0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xFF], [0x80],
        [0xE2, 0x82], [0], "\r\n"u8.ToArray(), "\r"u8.ToArray(), "\n"u8.ToArray(), "\""u8.ToArray(), "\"\""u8.ToArray(),
        "\\ud800"u8.ToArray(), "\\udc00\\ud800"u8.ToArray(), "\\u0000"u8.ToArray(), "\\"u8.ToArray(), "/*"u8.ToArray(), "//"u8.ToArray(),
        "-1"u8.ToArray(), "9223372036854775808"u8.ToArray(), "1e400"u8.ToArray(), "2147483647"u8.ToArray(), "-0"u8.ToArray(),
        "NaN"u8.ToArray(), "null"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), ","u8.ToArray(), ":"u8.ToArray(),
        "9999-12-31T23:59:59Z"u8.ToArray(), "0001-01-01"u8.ToArray(),
    ];

    /// <summary>Random byte sequences up to <paramref name="maxLength"/> bytes: uniform bytes, bytes from <paramref name="alphabet"/>, or both mixed with nasty sequences.</summary>
    public static Gen<byte[]> Bytes(byte[] alphabet, int maxLength) =>
        from length in Gen.Choose(0, maxLength)
        from kind in Gen.Choose(0, 2)
        from seed in Gen.Choose(0, int.MaxValue)
        select Make(alphabet, length, kind, seed);

    /// <summary>A valid input with one to four random mutations.</summary>
    public static Gen<byte[]> Mutations(Gen<byte[]> valid) =>
        from bytes in valid
        from count in Gen.Choose(1, 4)
        from seed in Gen.Choose(0, int.MaxValue)
        select Mutate(bytes, count, seed);

    /// <summary>The input as text a person can paste into a regression test.</summary>
    public static string Show(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length + 16).Append(CultureInfo.InvariantCulture, $"{bytes.Length} bytes: ");
        foreach (var b in bytes.AsSpan(0, Math.Min(bytes.Length, 2000)))
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.ToString();
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a thread of its own and returns <see langword="null"/> when it gave a result or an
    /// exception that <paramref name="judge"/> accepts (returns <see langword="null"/> for); otherwise what went wrong:
    /// another exception, a rejected exception, no answer within <see cref="Budget"/>, or more than
    /// <paramref name="maxAllocatedBytes"/> allocated by the reading thread (a reader that sizes memory from what a
    /// hostile header claims instead of from the data).
    /// </summary>
    public static string? Check(Action read, Func<Exception, string?> judge, long maxAllocatedBytes)
    {
        Exception? failure = null;
        long allocated = 0;
        var thread = new Thread(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                read();
            }
#pragma warning disable CA1031 // The point is to catch everything and judge it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ex;
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        })
        {
            IsBackground = true,
            Name = "fuzz read",
        };
        thread.Start();
        if (!thread.Join(Budget))
        {
            return $"no answer within {Budget.TotalSeconds} s (a hang?)";
        }

        if (failure is not null && judge(failure) is { } rejected)
        {
            return $"{rejected}: {failure}";
        }

        return allocated > maxAllocatedBytes ? $"allocated {allocated:N0} bytes, more than {maxAllocatedBytes:N0}" : null;
    }

    private static byte[] Make(byte[] alphabet, int length, int kind, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(length + 8);
        while (bytes.Count < length)
        {
            switch (kind == 2 ? random.Next(3) : kind)
            {
                case 0:
                    bytes.Add((byte)random.Next(256));
                    break;
                case 1:
                    bytes.Add(alphabet[random.Next(alphabet.Length)]);
                    break;
                default:
                    bytes.AddRange(Nasty[random.Next(Nasty.Length)]);
                    break;
            }
        }

        return [.. bytes];
    }

    private static byte[] Mutate(byte[] valid, int count, int seed)
    {
        var random = new Random(seed);
        var bytes = new List<byte>(valid);
        for (var i = 0; i < count; i++)
        {
            var at = random.Next(bytes.Count + 1);
            var span = Math.Min(bytes.Count - Math.Min(at, bytes.Count), random.Next(1, 33));
            switch (random.Next(6))
            {
                case 0 when at < bytes.Count:
                    bytes[at] ^= (byte)(1 << random.Next(8)); // flip a bit
                    break;
                case 1 when at < bytes.Count:
                    bytes[at] = (byte)random.Next(256); // set a byte
                    break;
                case 2:
                    bytes.RemoveRange(at, span); // cut a span
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at); // truncate
                    break;
                case 4:
                    bytes.InsertRange(random.Next(bytes.Count + 1), bytes.GetRange(at, span)); // duplicate a span
                    break;
                default:
                    bytes.InsertRange(at, Nasty[random.Next(Nasty.Length)]); // insert a nasty sequence
                    break;
            }
        }

        return [.. bytes];
    }
}
