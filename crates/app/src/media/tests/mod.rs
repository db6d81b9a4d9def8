mod fixtures;
mod images;
