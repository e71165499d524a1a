using System.Globalization;

namespace Funnel.Serialization.Json;

/// <summary>One problem found while reading Funnel JSON: the JSON path, the line, and what is wrong.</summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class FunnelJsonProblem
{
    /// <summary>Creates a problem whose position in its line is not known.</summary>
    /// <param name="path">The JSON path, such as <c>$.stages[3].winProbability</c>.</param>
    /// <param name="line">The 1-based line in the document, or 0 when unknown.</param>
    /// <param name="message">What is wrong, for people.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="line"/> is negative.</exception>
    public FunnelJsonProblem(string path, int line, string message)
        : this(path, line, 0, message)
    {
    }

    /// <summary>Creates a problem.</summary>
    /// <param name="path">The JSON path, such as <c>$.stages[3].winProbability</c>.</param>
    /// <param name="line">The 1-based line in the document, or 0 when unknown.</param>
    /// <param name="position">The 1-based position in the line (see <see cref="Position"/>), or 0 when unknown.</param>
    /// <param name="message">What is wrong, for people.</param>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> or <paramref name="message"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="line"/> or <paramref name="position"/> is negative.</exception>
    public FunnelJsonProblem(string path, int line, int position, string message)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Path = path;
        Line = line;
        Position = position;
        Message = message;
    }

    /// <summary>Gets the JSON path, such as <c>$.stages[3].winProbability</c>.</summary>
    public string Path { get; }

    /// <summary>Gets the 1-based line in the document, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>
    /// Gets the 1-based position in <see cref="Line"/> where the value at fault (or, for malformed JSON, the
    /// error) starts, counted in UTF-16 characters as editors count columns; 0 when unknown.
    /// </summary>
    public int Position { get; }

    /// <summary>Gets what is wrong, for people.</summary>
    public string Message { get; }

    /// <summary>Returns the path, the message and the line.</summary>
    /// <returns>A text such as <c>$.stages[3].winProbability: must be between 0 and 1 (line 17)</c>.</returns>
    public override string ToString() =>
        Line > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Path}: {Message} (line {Line})")
            : $"{Path}: {Message}";
}
