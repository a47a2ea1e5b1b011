//! The machines one can buy, smallest to largest. Price per core rises at the top end (big
//! sockets, big memory) and there is nothing above the largest: the ceiling of scaling up.

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MachineType {
    pub name: &'static str,
    pub cores: u32,
    pub memory_gb: u32,
    pub price_per_hour: f64,
}

pub const CATALOGUE: [MachineType; 9] = [
    MachineType {
        name: "s-2",
        cores: 2,
        memory_gb: 8,
        price_per_hour: 0.10,
    },
    MachineType {
        name: "s-4",
        cores: 4,
        memory_gb: 16,
        price_per_hour: 0.20,
    },
    MachineType {
        name: "s-8",
        cores: 8,
        memory_gb: 32,
        price_per_hour: 0.40,
    },
    MachineType {
        name: "s-16",
        cores: 16,
        memory_gb: 64,
        price_per_hour: 0.82,
    },
    MachineType {
        name: "s-32",
        cores: 32,
        memory_gb: 128,
        price_per_hour: 1.75,
    },
    MachineType {
        name: "s-64",
        cores: 64,
        memory_gb: 256,
        price_per_hour: 3.90,
    },
    MachineType {
        name: "s-96",
        cores: 96,
        memory_gb: 384,
        price_per_hour: 6.60,
    },
    MachineType {
        name: "s-128",
        cores: 128,
        memory_gb: 512,
        price_per_hour: 10.20,
    },
    MachineType {
        name: "s-192",
        cores: 192,
        memory_gb: 768,
        price_per_hour: 19.50,
    },
];

pub fn by_name(name: &str) -> Option<usize> {
    CATALOGUE.iter().position(|m| m.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_per_core_rises_at_the_top_and_there_is_a_ceiling() {
        let per_core: Vec<f64> = CATALOGUE
            .iter()
            .map(|m| m.price_per_hour / f64::from(m.cores))
            .collect();
        assert!(per_core.windows(2).all(|w| w[1] >= w[0] - 1e-12));
        assert!(per_core[8] > 1.8 * per_core[0]);
        assert_eq!(CATALOGUE.last().unwrap().cores, 192);
        assert_eq!(by_name("s-16"), Some(3));
    }
}
