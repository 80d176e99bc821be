//===- BenchChart.cpp - dmc bench --svg -----------------------------------===//
#include "compiler/dmc/BenchChart.h"

#include <algorithm>
#include <cstdio>

namespace dmc {
namespace {
std::string xmlEscape(const std::string &text) {
  std::string out;
  for (char c : text) {
    switch (c) {
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '&': out += "&amp;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default:
      // Control characters are not allowed in XML 1.0 text.
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\t')
        out += c;
    }
  }
  return out;
}

std::string number(double v, const char *format = "%.3f") {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, v);
  return buffer;
}
} // namespace

std::string benchChartSvg(const BenchChart &chart) {
  const double left = 90, right = 170, top = 40, barHeight = 22, gap = 8, plotWidth = 420;
  const double height = top + chart.bars.size() * (barHeight + gap) + 40;
  const double width = left + plotWidth + right;
  double maxMs = chart.gemmBoundMs;
  for (const BenchBar &bar : chart.bars)
    maxMs = std::max(maxMs, bar.medianMs);
  if (maxMs <= 0)
    maxMs = 1;
  auto x = [&](double ms) { return left + plotWidth * ms / maxMs; };
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + number(width, "%.0f") + "\" height=\"" +
                    number(height, "%.0f") + "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  svg += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  svg += "<text x=\"10\" y=\"20\" font-weight=\"bold\">" + xmlEscape(chart.title) + "</text>\n";
  double y = top;
  for (const BenchBar &bar : chart.bars) {
    svg += "<text x=\"" + number(left - 8, "%.0f") + "\" y=\"" + number(y + 15, "%.0f") + "\" text-anchor=\"end\">" +
           xmlEscape(bar.label) + "</text>\n";
    svg += "<rect class=\"bar\" x=\"" + number(left, "%.1f") + "\" y=\"" + number(y, "%.1f") + "\" width=\"" +
           number(std::max(1.0, x(bar.medianMs) - left), "%.1f") + "\" height=\"" + number(barHeight, "%.0f") +
           "\" fill=\"" + (bar.label.rfind("-O", 0) == 0 ? "#1c7ed6" : "#868e96") + "\"><title>" +
           xmlEscape(bar.label + ": " + number(bar.medianMs) + " ms") + "</title></rect>\n";
    svg += "<text x=\"" + number(x(bar.medianMs) + 6, "%.1f") + "\" y=\"" + number(y + 15, "%.0f") + "\">" +
           xmlEscape(number(bar.medianMs) + " ms" + (bar.note.empty() ? "" : "  " + bar.note)) + "</text>\n";
    y += barHeight + gap;
  }
  if (chart.gemmBoundMs > 0) {
    double gx = x(chart.gemmBoundMs);
    svg += "<line class=\"gemm-bound\" x1=\"" + number(gx, "%.1f") + "\" x2=\"" + number(gx, "%.1f") + "\" y1=\"" +
           number(top - 6, "%.0f") + "\" y2=\"" + number(y, "%.0f") +
           "\" stroke=\"#e8590c\" stroke-width=\"2\" stroke-dasharray=\"5 3\"/>\n";
    svg += "<text x=\"" + number(gx, "%.1f") + "\" y=\"" + number(y + 16, "%.0f") +
           "\" fill=\"#e8590c\" text-anchor=\"middle\">" +
           xmlEscape("GEMM-bound limit " + number(chart.gemmBoundMs) + " ms") + "</text>\n";
  }
  svg += "<text x=\"10\" y=\"" + number(height - 6, "%.0f") +
         "\" fill=\"#555\" font-size=\"10\">median time per run (ms), shorter is faster; same run, interleaved</text>\n";
  svg += "</svg>\n";
  return svg;
}

} // namespace dmc
