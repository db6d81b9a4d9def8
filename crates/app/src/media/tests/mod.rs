mod fixtures;
mod images;
mod text;
