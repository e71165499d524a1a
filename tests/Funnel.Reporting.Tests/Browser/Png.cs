using System.Buffers.Binary;
using System.IO.Compression;

namespace Funnel.Reporting.Tests.Browser;

/// <summary>A small PNG decoder (8-bit RGB/RGBA, not interlaced: what Chromium writes) to check screenshots.</summary>
internal sealed class Png
{
    private Png(int width, int height, int channels, byte[] pixels)
    {
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels { get; }

    public byte[] Pixels { get; }

    public static Png Decode(byte[] file)
    {
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (!file.AsSpan(0, 8).SequenceEqual(signature))
        {
            throw new InvalidDataException("Not a PNG file.");
        }

        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        var offset = 8;
        while (offset < file.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(file, offset + 4, 4);
            var data = file.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                var (depth, color, interlace) = (data[8], data[9], data[12]);
                channels = color switch { 2 => 3, 6 => 4, _ => throw new InvalidDataException($"Unsupported PNG colour type {color}.") };
                if (depth != 8 || interlace != 0)
                {
                    throw new InvalidDataException("Only 8-bit, non-interlaced PNGs are supported.");
                }
            }
            else if (type == "IDAT")
            {
                idat.Write(data);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(idat, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }

        var raw = inflated.ToArray();
        var stride = width * channels;
        var pixels = new byte[height * stride];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var line = raw.AsSpan((y * (stride + 1)) + 1, stride);
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[(y * stride) + x - channels] : 0;
                int b = y > 0 ? pixels[((y - 1) * stride) + x] : 0;
                int c = x >= channels && y > 0 ? pixels[((y - 1) * stride) + x - channels] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"Unknown PNG filter {filter}."),
                };
                pixels[(y * stride) + x] = (byte)(line[x] + predictor);
            }
        }

        return new Png(width, height, channels, pixels);
    }

    /// <summary>Counts distinct colours and the share of pixels that are not (near) white.</summary>
    public (int DistinctColours, double NonWhiteShare) Analyse()
    {
        var colours = new HashSet<int>();
        long nonWhite = 0;
        for (var i = 0; i < Pixels.Length; i += Channels)
        {
            var (r, g, b) = (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
            colours.Add((r << 16) | (g << 8) | b);
            if (r < 240 || g < 240 || b < 240)
            {
                nonWhite++;
            }
        }

        return (colours.Count, (double)nonWhite / (Width * Height));
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var (pa, pb, pc) = (Math.Abs(p - a), Math.Abs(p - b), Math.Abs(p - c));
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
