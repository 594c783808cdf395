import CaloData
import Figures
import Foundation

/// The figure builders of ``EvaluationReport``: turn figure data and scores into `Figure`s with
/// captions. Numbers only; nothing here reads or writes files.
extension EvaluationReport {
    typealias File = EvaluationFigureData.File

    /// How the histogram of one kind of observable is drawn and explained.
    struct HistogramStyle {
        var section: Section
        /// Collapsible group, nil for a main figure.
        var group: String?
        var title: String
        var xTitle: String
        var xScale: AxisScale = .linear
        var yScale: AxisScale = .linear
        var caption: String
    }

    static func histogramStyle(_ observable: HistogramObservable) -> HistogramStyle {
        let layer = observable.layer.map(String.init) ?? "?"
        let helper = " (helper not called by evaluate.py)"
        switch observable.quantity {
        case .energyRatio:
            return HistogramStyle(
                section: .energy, title: "Total energy response", xTitle: "E_{tot} / E_{inc}",
                caption:
                    "E_tot/E_inc: the fraction of the incident energy each shower deposits (events outside 0.5–1.5 are not drawn). Good: the generated peak sits where the reference's does (response) and is as wide (resolution)."
            )
        case .energyRatioSlice:
            let low = observable.incidentEnergy ?? 0
            let range = "\(SVGText.number(low)) MeV ≤ E_{inc} < \(SVGText.number(2 * low)) MeV"
            return HistogramStyle(
                section: .energy, group: "E_tot / E_inc per incident energy", title: "E_{tot} / E_{inc}, \(range)",
                xTitle: "E_{tot} / E_{inc}",
                caption:
                    "E_tot/E_inc of the events with \(SVGText.number(low)) MeV ≤ E_inc < \(SVGText.number(2 * low)) MeV only: response and resolution at one energy. Good: same peak position and width as the reference."
            )
        case .layerEnergy:
            return HistogramStyle(
                section: .layerEnergies, group: "Energy in each layer", title: "Energy in layer \(layer)",
                xTitle: "E_{layer \(layer)} [MeV]", xScale: .log, yScale: .log,
                caption:
                    "Energy deposited in layer \(layer) per event (log bins from the readout threshold to the reference maximum; events with less are not counted). Good: the same peak and the same tails as the reference."
            )
        case .etaCentre:
            return HistogramStyle(
                section: .shapes, group: "Centre of energy in η, each layer", title: "Centre of energy in η, layer \(layer)",
                xTitle: "EC_{η} [mm]",
                caption:
                    "Energy-weighted mean η of the voxels of layer \(layer): where the shower sits. Good: centred like the reference, with the same spread."
            )
        case .phiCentre:
            return HistogramStyle(
                section: .shapes, group: "Centre of energy in φ, each layer", title: "Centre of energy in φ, layer \(layer)",
                xTitle: "EC_{φ} [mm]",
                caption:
                    "Energy-weighted mean φ of the voxels of layer \(layer): where the shower sits. Good: centred like the reference, with the same spread."
            )
        case .etaWidth:
            return HistogramStyle(
                section: .shapes, group: "Width in η, each layer", title: "Width in η, layer \(layer)", xTitle: "Width_{η} [mm]",
                caption:
                    "Energy-weighted standard deviation of η in layer \(layer): the lateral size of the shower. Good: the same distribution of widths as the reference."
            )
        case .phiWidth:
            return HistogramStyle(
                section: .shapes, group: "Width in φ, each layer", title: "Width in φ, layer \(layer)", xTitle: "Width_{φ} [mm]",
                caption:
                    "Energy-weighted standard deviation of φ in layer \(layer): the lateral size of the shower. Good: the same distribution of widths as the reference."
            )
        case .rCentre:
            return HistogramStyle(
                section: .shapes, group: "Centre of energy in r, each layer" + helper,
                title: "Centre of energy in r, layer \(layer)", xTitle: "EC_{r} [mm]",
                caption:
                    "Energy-weighted mean radius of the voxels of layer \(layer)\(helper). Good: the same distribution as the reference."
            )
        case .rWidth:
            return HistogramStyle(
                section: .shapes, group: "Width in r, each layer" + helper, title: "Width in r, layer \(layer)",
                xTitle: "Width_{r} [mm]",
                caption:
                    "Energy-weighted standard deviation of the radius in layer \(layer)\(helper). Good: the same distribution as the reference."
            )
        case .voxelEnergy:
            return HistogramStyle(
                section: .voxels, title: "Voxel energies", xTitle: "Voxel energy [MeV]", xScale: .log, yScale: .log,
                caption:
                    "The energy of every voxel above the readout threshold, all events pooled. Good: both the soft end (the many small deposits that set the sparsity) and the hard tail (the shower core) match the reference."
            )
        case .sparsity:
            return HistogramStyle(
                section: .voxels, group: "Sparsity, each layer" + helper, title: "Sparsity, layer \(layer)",
                xTitle: "Sparsity (fraction of voxels below threshold)",
                caption:
                    "The fraction of the voxels of layer \(layer) below the readout threshold, per event\(helper). Good: the same occupancy as the reference."
            )
        }
    }

    /// The separation power of `file` for `key` from the result: a generated file's score, or the
    /// floor for reference2; nil for the reference or when `hist` did not run.
    func separationPower(key: String, file: File) -> Double? {
        guard let observable = result[.hist]?.observables[key] else { return nil }
        switch file.role {
        case .reference: return nil
        case .reference2: return observable.floor?.value
        case .generated: return observable.scores[file.label]?.value
        }
    }

    /// Histogram figures of every observable with edges whose style puts it in `section`.
    func histogramFigures(_ data: EvaluationFigureData, section: Section) -> [PlannedFigure] {
        guard let edges = data.histogramEdges else { return [] }
        var figures: [PlannedFigure] = []
        for entry in edges.entries {
            let style = Self.histogramStyle(entry.observable)
            guard style.section == section, let binEdges = entry.edges else { continue }
            let key = entry.observable.key
            func series(_ file: File) -> HistogramSeries? {
                guard let histogram = file.histograms?.histograms[key] else { return nil }
                return HistogramSeries(
                    label: Self.displayLabel(file), values: histogram.densities, entryCount: histogram.total,
                    separationPower: separationPower(key: key, file: file))
            }
            // Nothing to compare against when the reference has no entry in range.
            guard let reference = series(data.reference), (reference.entryCount ?? 0) > 0 else { continue }
            let figure = EvaluationPlots.histogram(
                edges: binEdges, reference: reference, reference2: data.reference2.flatMap(series),
                models: data.generated.compactMap(series), xTitle: style.xTitle, title: style.title, xScale: style.xScale,
                yScale: style.yScale)
            figures.append(
                PlannedFigure(name: "hist_\(key)", section: section, group: style.group, caption: style.caption, figure: figure))
        }
        return figures
    }

    /// E_tot/E_inc and the binned response (the per-energy slices come with the histograms).
    func energyFigures(_ data: EvaluationFigureData) -> [PlannedFigure] {
        var figures = histogramFigures(data, section: .energy)
        guard let referenceResponse = data.reference.statistics.response else { return figures }
        let edges = referenceResponse.incidentEnergyEdges
        func series(_ file: File) -> PointSeries? {
            guard let response = file.statistics.response, response.incidentEnergyEdges == edges else { return nil }
            return PointSeries(label: Self.displayLabel(file), values: response.means, errors: response.standardDeviations)
        }
        guard let reference = series(data.reference) else { return figures }
        let models = data.generated.compactMap(series)
        let deviations = models.flatMap { model in
            zip(model.values, reference.values).map { Swift.abs($0 / $1 - 1) }.filter(\.isFinite)
        }
        let largest = deviations.max() ?? 0
        let ratioRange = largest <= 0.08 ? 0.9...1.1 : largest <= 0.4 ? 0.5...1.5 : 0...2.0
        var caption =
            "Mean E_dep/E_inc in bins of the incident energy (points; grey band: the reference's mean ± standard deviation over events): the response and, through the error bars, the resolution as a function of energy. Lower panel: ratio of the means to the reference's. Good: points on the reference line with error bars as long as the band is wide."
        let outside = data.files.filter { ($0.statistics.response?.outsideCount ?? 0) > 0 }
        if !outside.isEmpty {
            caption +=
                " Events outside the reference's incident-energy range are not drawn: "
                + outside.map { "\($0.label) \($0.statistics.response?.outsideCount ?? 0)" }.joined(separator: ", ") + "."
        }
        let figure = EvaluationPlots.response(
            incidentEnergyEdges: edges, binnedReference: reference, binnedReference2: data.reference2.flatMap(series),
            binnedModels: models, title: "Energy response versus incident energy", ratioRange: ratioRange)
        // After E_tot / E_inc, before the per-energy slices.
        let position = figures.firstIndex { $0.group != nil } ?? figures.count
        figures.insert(
            PlannedFigure(name: "response", section: .energy, group: nil, caption: caption, figure: figure), at: position)
        return figures
    }

    /// The mean longitudinal and radial profiles.
    func profileFigures(_ data: EvaluationFigureData) -> [PlannedFigure] {
        let geometry = data.geometry
        let layerIDs = data.reference.statistics.layerIDs
        func longitudinal(_ file: File) -> HistogramSeries {
            HistogramSeries(label: Self.displayLabel(file), values: file.statistics.meanLayerEnergies(geometry: geometry))
        }
        let longitudinalFigure = EvaluationPlots.longitudinalProfile(
            layerIDs: layerIDs, reference: longitudinal(data.reference), reference2: data.reference2.map(longitudinal),
            models: data.generated.map(longitudinal), title: "Mean energy per layer (longitudinal profile)")
        let radialEdges = data.reference.statistics.meanRadialProfile(geometry: geometry).radialEdges
        func radial(_ file: File) -> HistogramSeries {
            HistogramSeries(label: Self.displayLabel(file), values: file.statistics.meanRadialProfile(geometry: geometry).values)
        }
        // Dataset 1's outer bins reach 2 m: a log radius keeps the core visible.
        let isIrregular = geometry.regularShape == nil
        var figures = [
            PlannedFigure(
                name: "profile_longitudinal", section: .profiles, group: nil,
                caption:
                    "Mean energy deposited in each layer, over all events: the longitudinal shower profile. Good: the generated profile follows the reference through the shower maximum and the tail in the last layers; ratio near 1.",
                figure: longitudinalFigure)
        ]
        if radialEdges.count >= 2 {
            let radialFigure = EvaluationPlots.radialProfile(
                radialEdges: radialEdges, reference: radial(data.reference), reference2: data.reference2.map(radial),
                models: data.generated.map(radial), yTitle: "dE/dr [MeV/mm]", title: "Mean radial profile",
                xScale: isIrregular ? .log : .linear)
            figures.append(
                PlannedFigure(
                    name: "profile_radial", section: .profiles, group: nil,
                    caption:
                        "Mean energy per mm of radius from the shower axis, summed over all layers and angles (each voxel's energy spread evenly over its radial bin\(isIrregular ? "; log radius, first bin drawn from half its outer edge" : "")). Good: the dense core at small r and the tail at large r both follow the reference.",
                    figure: radialFigure))
        }
        return figures
    }

    /// Mean ± standard error per layer of the centres, widths and sparsity, over the reference's
    /// mean ± standard deviation as a band.
    func layerStatisticsFigures(_ data: EvaluationFigureData) -> [PlannedFigure] {
        let quantities: [(HistogramObservable.Quantity, String, String, String)] = [
            (.etaCentre, "Centre of energy in η per layer", "EC_{η} [mm]", "the position of the shower centre in η"),
            (.phiCentre, "Centre of energy in φ per layer", "EC_{φ} [mm]", "the position of the shower centre in φ"),
            (.etaWidth, "Width in η per layer", "Width_{η} [mm]", "the lateral size of the shower in η"),
            (.phiWidth, "Width in φ per layer", "Width_{φ} [mm]", "the lateral size of the shower in φ"),
            (.rCentre, "Centre of energy in r per layer", "EC_{r} [mm]", "the mean radius of the deposits"),
            (.rWidth, "Width in r per layer", "Width_{r} [mm]", "the radial spread of the deposits"),
            (.sparsity, "Sparsity per layer", "Sparsity", "the fraction of voxels below the threshold"),
        ]
        var figures: [PlannedFigure] = []
        for (quantity, title, yTitle, meaning) in quantities {
            guard let referenceMoments = data.reference.statistics.moments(of: quantity) else { continue }
            let positions = referenceMoments.indices.filter { referenceMoments[$0].count > 0 }
            guard !positions.isEmpty else { continue }
            let layerIDs = positions.map { data.reference.statistics.layerIDs[$0] }
            func series(_ file: File) -> PointSeries? {
                guard let moments = file.statistics.moments(of: quantity), moments.count == referenceMoments.count else {
                    return nil
                }
                return PointSeries(
                    label: Self.displayLabel(file), values: positions.map { moments[$0].mean },
                    errors: positions.map { moments[$0].standardError })
            }
            guard let reference = series(data.reference) else { continue }
            // Widths are ≥ 0 and sparsities in [0, 1]: the band stops at the physical bounds.
            let lowest: Double = quantity == .etaCentre || quantity == .phiCentre ? -.infinity : 0
            let highest: Double = quantity == .sparsity ? 1 : .infinity
            let spread = positions.map { referenceMoments[$0].standardDeviation }
            let band = (
                low: zip(reference.values, spread).map { Swift.max($0 - ($1.isFinite ? $1 : 0), lowest) },
                high: zip(reference.values, spread).map { Swift.min($0 + ($1.isFinite ? $1 : 0), highest) }
            )
            let figure = EvaluationPlots.layerStatistics(
                layerIDs: layerIDs, reference: reference, reference2: data.reference2.flatMap(series),
                models: data.generated.compactMap(series), yTitle: yTitle, title: title, referenceBand: band,
                referenceBandLabel: "\(Self.displayLabel(data.reference)) ±1σ spread", width: layerIDs.count > 20 ? 960 : 640)
            let isHelper = !HistogramObservable(quantity, layer: layerIDs[0]).isOfficial
            figures.append(
                PlannedFigure(
                    name: "layers_\(quantity.rawValue)", section: quantity == .sparsity ? .voxels : .shapes, group: nil,
                    caption:
                        "\(title): the mean over events of \(meaning) (markers, with the standard error of the mean as error bars); the grey band is the reference's shower-to-shower spread (mean ± standard deviation)\(isHelper ? "; its histograms come from a helper evaluate.py does not call" : ""). Good: markers on the reference's within their error bars.",
                    figure: figure))
        }
        return figures
    }

    /// One correlation figure per generated file (and reference2).
    func correlationFigures(_ data: EvaluationFigureData) -> [PlannedFigure] {
        let layerIDs = data.reference.statistics.layerIDs
        guard layerIDs.count >= 2 else { return [] }
        let others = (data.reference2.map { [$0] } ?? []) + data.generated
        return others.compactMap { file in
            guard file.correlation.count == layerIDs.count else { return nil }
            let label = Self.displayLabel(file)
            let figure = EvaluationPlots.correlation(
                layerIDs: layerIDs, reference: data.reference.correlation, model: file.correlation,
                referenceLabel: Self.displayLabel(data.reference), modelLabel: label,
                title: "Pearson correlation of layer energies: \(label)", height: 330)
            let caption =
                file.role == .reference2
                ? "Layer-energy correlations of the reference (left) and reference2 (middle), and reference2 − reference (right): the size of the differences statistics alone give."
                : "Layer-energy correlations of the reference (left) and \(label) (middle), and \(label) − reference (right). Good: the right panel near 0 (white), no larger than reference2 − reference."
            return PlannedFigure(
                name: "pcc_\(Self.safeName(label))", section: .correlations, group: nil, caption: caption, figure: figure)
        }
    }

    /// Layers that get a mean-shower figure: all of them for small geometries, otherwise every
    /// ``imageLayerStride``-th relevant layer and the one with the most energy in the reference.
    func imageLayers(_ data: EvaluationFigureData) -> (ids: [Int], maximum: Int?) {
        let ids = data.reference.statistics.layerIDs
        let energies = data.reference.statistics.meanLayerEnergies(geometry: data.geometry)
        let maximum = energies.indices.filter { energies[$0].isFinite }.max { energies[$0] < energies[$1] }.map { ids[$0] }
        guard ids.count > maximumImageLayers else { return (ids, maximum) }
        var chosen = Set(stride(from: 0, to: ids.count, by: Swift.max(imageLayerStride, 1)).map { ids[$0] })
        if let maximum { chosen.insert(maximum) }
        return (chosen.sorted(), maximum)
    }

    /// Mean shower images: one figure per chosen layer with every file side by side, then an overview
    /// of each file.
    func showerFigures(_ data: EvaluationFigureData) -> [PlannedFigure] {
        let geometry = data.geometry
        let isIrregular = geometry.regularShape == nil
        let radialScale: PolarImage.RadialScale = isIrregular ? .logarithmic : .linear
        let (chosen, maximum) = imageLayers(data)
        var figures: [PlannedFigure] = []
        for id in chosen {
            guard let layer = geometry.layers.first(where: { $0.id == id }) else { continue }
            let images = data.files.compactMap { file in
                file.statistics.meanImage(layer: id, geometry: geometry).map {
                    ImageSeries(label: Self.displayLabel(file), values: $0)
                }
            }
            guard !images.isEmpty else { continue }
            let figure = EvaluationPlots.showerImages(
                layerID: id, radialEdges: layer.radialEdges, angularBins: layer.angularBins, images: images,
                radialScale: radialScale,
                title: "Mean shower, layer \(id)" + (id == maximum ? " (most energy)" : ""))
            figures.append(
                PlannedFigure(
                    name: "shower_layer_\(id)", section: .showers, group: nil,
                    caption:
                        "Mean energy per voxel in layer \(id)\(id == maximum ? ", the layer with the most energy in the reference" : ""), for "
                        + images.map(\.label).joined(separator: ", ")
                        + " on one colour scale (η right, φ up\(isIrregular ? "; logarithmic radius" : "")). Good: the same radial fall-off and angular pattern as the reference.",
                    figure: figure))
        }
        // Overviews: every layer when the figure stays below the voxel cap, else the chosen subset.
        let allLayers = data.reference.statistics.layerIDs
        let overviewLayers = geometry.voxelCount <= maximumOverviewVoxels ? allLayers : chosen
        let overviewNote =
            overviewLayers.count < allLayers.count
            ? "layers \(overviewLayers.map(String.init).joined(separator: ", ")) (every \(imageLayerStride)th and the one with the most energy; \(geometry.voxelCount) voxels are too many for one figure)"
            : "every layer"
        for file in data.files {
            let layers = overviewLayers.compactMap { id -> ShowerLayerImage? in
                guard let layer = geometry.layers.first(where: { $0.id == id }),
                    let values = file.statistics.meanImage(layer: id, geometry: geometry)
                else { return nil }
                return ShowerLayerImage(id: id, radialEdges: layer.radialEdges, angularBins: layer.angularBins, values: values)
            }
            guard !layers.isEmpty else { continue }
            let label = Self.displayLabel(file)
            let figure = EvaluationPlots.showerOverview(
                layers: layers,
                title: "Mean shower of \(label), \(overviewLayers.count < allLayers.count ? "selected layers" : "all layers")",
                radialScale: radialScale)
            figures.append(
                PlannedFigure(
                    name: "shower_overview_\(Self.safeName(label))", section: .showers,
                    group: "Overview of each file (\(overviewLayers.count < allLayers.count ? "selected layers" : "all layers"))",
                    caption:
                        "Mean shower of \(label), \(overviewNote), on one colour scale per file. Good: the same development from layer to layer as the reference's overview.",
                    figure: figure))
        }
        return figures
    }
}
