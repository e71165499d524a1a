using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// The two small kernels of the CSV fast path's field code, each against the obvious way to do the same:
/// <see cref="Utf8KeyIndex"/> (stage and loss-reason keys by their bytes) against a linear search, and
/// <see cref="AsciiDigits"/> (digits eight at a time) against <see cref="ulong.TryParse(string, NumberStyles, IFormatProvider, out ulong)"/>.
/// </summary>
public sealed class CsvFieldKernelTests
{
    private static readonly Gen<byte[]> Text =
        Gen.Elements((byte)'a', (byte)'b', (byte)'-', (byte)'0', (byte)0, (byte)0xC3, (byte)0xA9)
            .ArrayOf()
            .Where(t => t.Length <= 24);

    [Property(MaxTest = 500)]
    public Property Utf8KeyIndex_FindsEachKeyAtItsFirstOrdinal_AndNothingElse() =>
        Prop.ForAll(
            (from keys in Text.ListOf().Where(k => k.Count <= 40)
             from probes in Text.ListOf()
             select (Keys: keys.ToArray(), Probes: probes.ToArray())).ToArbitrary(),
            x =>
            {
                var index = new Utf8KeyIndex(x.Keys);
                return x.Keys.Concat(x.Probes).All(text => index.Find(text) == Array.FindIndex(x.Keys, k => k.AsSpan().SequenceEqual(text)));
            });

    [Theory]
    [InlineData("stage-1", 1)]
    [InlineData("stage-10", -1)]
    [InlineData("a very long stage key of forty bytes ..", 2)]
    [InlineData("a very long stage key of forty bytes .!", -1)]
    [InlineData("", -1)]
    public void Utf8KeyIndex_ShortAndLongKeys(string text, int expected)
    {
        var index = new Utf8KeyIndex([.. new[] { "stage-0", "stage-1", "a very long stage key of forty bytes .." }.Select(Encoding.UTF8.GetBytes)]);

        Assert.Equal(expected, index.Find(Encoding.UTF8.GetBytes(text)));
    }

    [Property(MaxTest = 2000)]
    public Property AsciiDigits_AgreesWithTheDecimalParser_ForEveryLengthAndAnyByte() =>
        Prop.ForAll(
            (from digits in Gen.Elements("0123456789".ToCharArray()).ArrayOf().Where(d => d.Length is >= 1 and <= 16)
             from flaw in Gen.Frequency((3, Gen.Constant(-1)), (1, Gen.Choose(0, digits.Length - 1)))
             from bad in Gen.Choose(0, 255)
             from after in Gen.Choose(0, 255)
             select (Digits: digits, Flaw: flaw, Bad: (byte)bad, After: (byte)after)).ToArbitrary(),
            x =>
            {
                // The text, then bytes that are not part of it (the fast path keeps them readable): they must not count.
                var bytes = new byte[x.Digits.Length + CsvChunkParser.ReadSlack];
                Encoding.ASCII.GetBytes(x.Digits).CopyTo(bytes, 0);
                if (x.Flaw >= 0)
                {
                    bytes[x.Flaw] = x.Bad;
                }

                bytes.AsSpan(x.Digits.Length).Fill(x.After);
                var text = Encoding.Latin1.GetString(bytes, 0, x.Digits.Length);
                var expected = text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : (ulong?)null;

                var ok = AsciiDigits.TryParse(ref bytes[0], x.Digits.Length, out var parsed);

                return (expected == (ok ? parsed : null)).Label($"'{text}': expected {expected}, got {(ok ? parsed : "no")}");
            });
}
