using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Numerics;

namespace Funnel.Cli;

/// <summary>
/// Parses and range-checks the whole-number options in the parser itself, so that a bad value (<c>-n abc</c>,
/// <c>-n 99999999999</c>, <c>--max-bad-rows -1</c>) is a command-line error (exit code 2) with one line naming the
/// option and the allowed range — never the parser's own message with a .NET type name, never an exception.
/// </summary>
internal static class WholeNumberOption
{
    /// <summary>Makes <paramref name="option"/> accept only whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<T> InRange<T>(this Option<T> option, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        option.CustomParser = result => Parse(result, min, max) ?? default;
        return option;
    }

    /// <summary>Makes the optional <paramref name="option"/> accept only whole numbers from <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static Option<T?> InRange<T>(this Option<T?> option, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        option.CustomParser = result => Parse(result, min, max);
        return option;
    }

    /// <summary>The parsed value, or null after adding an error that names the option, the text and the allowed range.</summary>
    private static T? Parse<T>(ArgumentResult result, T min, T max)
        where T : struct, IBinaryInteger<T>
    {
        var name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        var text = result.Tokens.Count == 0 ? string.Empty : result.Tokens[^1].Value;
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name}: '{text}' is not a whole number.");
            return null;
        }

        var (low, high) = (BigInteger.CreateChecked(min), BigInteger.CreateChecked(max));
        if (value < low)
        {
            result.AddError(low.IsZero
                ? $"{name}: {text} is negative; it must be 0 or more."
                : string.Create(CultureInfo.InvariantCulture, $"{name}: {text} is too small; it must be at least {low:N0}."));
            return null;
        }

        if (value > high)
        {
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name}: {text} is too large; it must be at most {high:N0}."));
            return null;
        }

        return T.CreateChecked(value);
    }
}
