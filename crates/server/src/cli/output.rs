//! How commands print: aligned text tables for people, JSON (`--json`) for scripts.

/// Rows of text under upper-case headers, columns padded to the widest cell.
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    pub fn row(mut self, cells: Vec<String>) -> Self {
        self.rows.push(cells);
        self
    }

    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.len()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |cells: &mut dyn Iterator<Item = String>| {
            let padded: Vec<String> = cells
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            padded.join("  ").trim_end().to_string()
        };
        let mut out = vec![line(&mut self.headers.iter().map(|h| h.to_uppercase()))];
        out.extend(self.rows.iter().map(|r| line(&mut r.iter().cloned())));
        out.join("\n")
    }
}

/// Prints `value` as pretty JSON when `json` is set, else the table `table` builds.
pub fn emit(
    json: bool,
    value: serde_json::Value,
    table: impl FnOnce() -> Table,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!("{}", table().render());
    }
    Ok(())
}

/// "yes"/"no" for boolean columns.
pub fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_string()
}

/// A job as the API returns it: its id, type, status and data.
pub fn show_job(json: bool, job: &serde_json::Value) -> anyhow::Result<()> {
    emit(json, job.clone(), || {
        let text = |key: &str| job[key].as_str().unwrap_or_default().to_string();
        Table::new(&["id", "type", "status", "data"]).row(vec![
            text("id"),
            text("type"),
            text("status"),
            job["data"].to_string(),
        ])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_columns_to_the_widest_cell() {
        let t = Table::new(&["id", "name"])
            .row(vec!["1".into(), "alice".into()])
            .row(vec!["22".into(), "b".into()]);
        assert_eq!(t.render(), "ID  NAME\n1   alice\n22  b");
    }
}
